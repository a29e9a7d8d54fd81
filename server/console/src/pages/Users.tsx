/** 用户 (admin): create users, change role and department, disable or enable, reset a password. */
import { useState, type FormEvent } from 'react';
import { CONSOLE_ROLES, type ConsoleRole, type ConsoleUser } from '../../../../src/shared/console/contract';
import { api } from '../api';
import { formatters, useStrings } from '../i18n';
import { sentence, useLoad } from '../session';

const NEEDS_DEPARTMENT: readonly ConsoleRole[] = ['department', 'follow_up'];

export function UsersPage() {
  const { t, language } = useStrings();
  const users = useLoad('users', () => api.users());
  const departments = useLoad('departments', () => api.departments());
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const f = formatters(language);
  const done = (text: string) => {
    setNotice({ ok: true, text });
    users.reload();
  };
  const failed = (err: unknown) => setNotice({ ok: false, text: sentence(t, err) });
  return (
    <section className="page">
      <h1>{t.users.title}</h1>
      <datalist id="department-codes">
        {(departments.data ?? []).map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
      </datalist>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</p> : null}
      <NewUserForm onDone={(u) => done(t.users.created(u.username))} onFailed={failed} />
      {users.error ? <p className="error" role="alert">{users.error}</p> : null}
      {users.data ? (
        <table className="users" data-testid="users">
          <thead>
            <tr>
              <th>{t.users.username}</th><th>{t.users.displayName}</th><th>{t.users.role}</th><th>{t.users.department}</th>
              <th>{t.users.lastSignIn}</th><th>{t.users.status}</th><th />
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => <UserRow key={u.username} user={u} lastSignIn={u.lastSignInAt ? f.time(u.lastSignInAt) : t.users.never} onDone={done} onFailed={failed} />)}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RoleSelect({ value, onChange }: { value: ConsoleRole; onChange(role: ConsoleRole): void }) {
  const { t } = useStrings();
  return (
    <select name="role" value={value} onChange={(e) => onChange(e.target.value as ConsoleRole)}>
      {CONSOLE_ROLES.map((r) => <option key={r} value={r}>{t.roles[r]}</option>)}
    </select>
  );
}

function NewUserForm({ onDone, onFailed }: { onDone(user: ConsoleUser): void; onFailed(err: unknown): void }) {
  const { t } = useStrings();
  const blank = { username: '', displayName: '', role: 'viewer' as ConsoleRole, departmentCode: '', password: '' };
  const [form, setForm] = useState(blank);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    api.createUser({ ...form, departmentCode: form.departmentCode.trim() || null }).then((u) => {
      setForm(blank);
      onDone(u);
    }, onFailed);
  };
  return (
    <form className="row-form" onSubmit={submit} aria-label={t.users.create}>
      <h2>{t.users.create}</h2>
      <label>{t.users.username}<input name="new-username" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required /></label>
      <label>{t.users.displayName}<input name="new-displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required /></label>
      <label>{t.users.role}<RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} /></label>
      <label>
        {t.users.department}
        <input name="new-department" list="department-codes" value={form.departmentCode} required={NEEDS_DEPARTMENT.includes(form.role)} onChange={(e) => setForm({ ...form, departmentCode: e.target.value })} />
      </label>
      <label>{t.users.password}<input name="new-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required /></label>
      <button type="submit" className="primary">{t.users.create}</button>
    </form>
  );
}

function UserRow({ user, lastSignIn, onDone, onFailed }: { user: ConsoleUser; lastSignIn: string; onDone(text: string): void; onFailed(err: unknown): void }) {
  const { t } = useStrings();
  const [role, setRole] = useState(user.role);
  const [department, setDepartment] = useState(user.departmentCode ?? '');
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const changed = role !== user.role || department !== (user.departmentCode ?? '');
  const save = () => api.updateUser(user.username, { role, departmentCode: department.trim() || null }).then(() => onDone(t.users.changed(user.username)), onFailed);
  const toggle = () => api.updateUser(user.username, { disabled: !user.disabled }).then(() => onDone(t.users.changed(user.username)), onFailed);
  const reset = (event: FormEvent) => {
    event.preventDefault();
    api.updateUser(user.username, { password }).then(() => {
      setResetting(false);
      setPassword('');
      onDone(t.users.resetDone(user.username));
    }, onFailed);
  };
  return (
    <tr data-username={user.username} className={user.disabled ? 'disabled' : undefined}>
      <td>{user.username}</td>
      <td>{user.displayName}</td>
      <td><RoleSelect value={role} onChange={setRole} /></td>
      <td><input name="department" list="department-codes" value={department} onChange={(e) => setDepartment(e.target.value)} placeholder={t.users.none} /></td>
      <td>{lastSignIn}</td>
      <td>{user.disabled ? t.users.disabled : t.users.active}</td>
      <td className="actions"><div>
        {changed ? <button type="button" className="primary" onClick={() => void save()}>{t.users.save}</button> : null}
        <button type="button" onClick={() => void toggle()}>{user.disabled ? t.users.enable : t.users.disable}</button>
        {resetting ? (
          <form onSubmit={reset} className="inline">
            <input name="reset-password" type="password" autoComplete="new-password" placeholder={t.users.newPassword} value={password} onChange={(e) => setPassword(e.target.value)} required />
            <button type="submit">{t.users.save}</button>
            <button type="button" onClick={() => setResetting(false)}>{t.users.cancel}</button>
          </form>
        ) : (
          <button type="button" onClick={() => setResetting(true)}>{t.users.reset}</button>
        )}
      </div></td>
    </tr>
  );
}
