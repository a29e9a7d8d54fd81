import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { cordialApi } from '../api/transport';
import { initialLang } from '../common/lang';
import { StaffApp } from './StaffApp';
import './staff.css';
import './cases.css';
import './admin/admin.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StaffApp api={cordialApi('staff')} defaultLang={initialLang()} />
    </StrictMode>,
  );
}
