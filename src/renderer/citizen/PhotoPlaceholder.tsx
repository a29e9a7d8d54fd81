/** A neutral silhouette for a staff member without a photo on file. */
export function PhotoPlaceholder({ label }: { label: string }) {
  return (
    <svg className="badge-photo placeholder" viewBox="0 0 120 150" role="img" aria-label={label}>
      <rect width="120" height="150" fill="#dfe5ec" />
      <circle cx="60" cy="56" r="28" fill="#9aa8b8" />
      <path d="M14 150c4-34 22-52 46-52s42 18 46 52z" fill="#9aa8b8" />
    </svg>
  );
}
