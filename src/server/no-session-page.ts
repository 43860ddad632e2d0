/**
 * What a browser sees at Glossa's address without a session: a page that says so and how to get a
 * fresh link — never an empty library, which would look like lost data. Static text, no script.
 */
export function noSessionPage(spentCode: boolean): string {
  const why = spentCode
    ? 'This link has already been used, or it belongs to an earlier run of Glossa. Each link opens Glossa once.'
    : 'This address is missing its session: Glossa’s web mode only opens from the link it prints.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Glossa: open the link glossa serve printed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>Glossa needs a fresh link</h1>
<p>${why} Your library is safe: nothing has been changed.</p>
<p>In the terminal where Glossa runs, use the address in the line <code>Glossa is running at …</code>, or
start Glossa again with <code>glossa serve</code> (or <code>npm start</code>) for a new one.</p>
</main></body></html>
`;
}
