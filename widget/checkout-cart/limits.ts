/** The server's per-line limit (shared/api.ts MAX_QUANTITY), restated here because importing that
 * module would bundle zod into the widget. A test checks the two agree. */
export const MAX_QUANTITY_PER_LINE = 99;
