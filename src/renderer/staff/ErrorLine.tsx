import { asSentence } from '../common/format';

/** An error sentence as the core words it, announced to screen readers. */
export function ErrorLine({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert" data-testid={testId ?? 'error'}>
      {asSentence(message)}
    </p>
  );
}
