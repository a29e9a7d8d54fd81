import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WALL_PAGE } from '../../../src/shared/console/hall-contract';
import { App } from './App';
import { WallApp } from './wall/WallApp';

// The hall's wall screen has no sign-in frame: a display PC reads it with a wall token.
const isWall = window.location.pathname.replace(/\/+$/, '') === WALL_PAGE;

createRoot(document.getElementById('root')!).render(<StrictMode>{isWall ? <WallApp /> : <App />}</StrictMode>);
