/** The staff badge (挂牌服务、亮证上岗): photo, name, 工号, window, department, this month's satisfaction. */
import type { Snapshot } from '../../shared/contract';
import { percent } from '../common/format';
import type { Lang } from '../common/lang';
import { PhotoPlaceholder } from './PhotoPlaceholder';
import { CITIZEN_TEXT as T } from './strings';

export function Badge({ snapshot, lang }: { snapshot: Snapshot; lang: Lang }) {
  const staff = snapshot.staff;
  const department = staff?.departmentName ?? snapshot.window.departmentName;
  return (
    <section className="badge" aria-label={T.window[lang]} data-testid="badge">
      <div className="badge-window">
        <span className="badge-window-label">{T.window[lang]}</span>
        <span className="badge-window-no" data-testid="window-no">
          {snapshot.window.windowNo}
        </span>
      </div>
      {staff ? (
        <>
          {staff.photo?.startsWith('data:image/') ? (
            <img className="badge-photo" src={staff.photo} alt={T.photoOf[lang]} />
          ) : (
            <PhotoPlaceholder label={T.photoOf[lang]} />
          )}
          <p className="badge-name" data-testid="staff-name">
            {staff.name}
          </p>
          <dl className="badge-facts">
            <div>
              <dt>{T.staffNo[lang]}</dt>
              <dd data-testid="staff-no">{staff.staffNo}</dd>
            </div>
            {department && (
              <div>
                <dt>{T.department[lang]}</dt>
                <dd>{department}</dd>
              </div>
            )}
            <div>
              <dt>{T.monthSatisfaction[lang]}</dt>
              <dd data-testid="month-satisfaction">{percent(staff.monthSatisfaction)}</dd>
            </div>
          </dl>
        </>
      ) : (
        department && <p className="badge-empty">{department}</p>
      )}
    </section>
  );
}
