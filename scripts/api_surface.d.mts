/** The public API as Markdown: one line per exported name and public member, per entry point. */
export function apiSurface(): string;
