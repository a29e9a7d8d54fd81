/** Rotating a terminal's token without enrolling again: the kiosk and the centre agree on these. */

/** On an answer to a terminal: IT rotated its token, fetch the new one from TOKEN_ROTATE_PATH with the token in use. */
export const TOKEN_ROTATE_HEADER = 'cordial-token-rotate';
/** POST with the terminal's token: { token, previousValidUntil } (the token sent keeps working until then). */
export const TOKEN_ROTATE_PATH = '/v1/token/rotate';
