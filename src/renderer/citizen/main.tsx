import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { cordialApi } from '../api/transport';
import { initialLang } from '../common/lang';
import { CitizenScreen } from './CitizenScreen';
import { lockDown } from './lockdown';
import './citizen.css';
import './rating.css';

lockDown();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <CitizenScreen api={cordialApi('citizen')} defaultLang={initialLang()} />
    </StrictMode>,
  );
}
