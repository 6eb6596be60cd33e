/** What to put in the Headers editor: every operation needs a credential. */
export function HeadersHelp({ prefilled }: { prefilled: boolean }) {
  return (
    <div className="explorer-help">
      <p>
        <strong>Credentials</strong> go in the <em>Headers</em> tab below the query, as JSON.{' '}
        {prefilled ? (
          'It already holds the first demo tenant’s user token; replace it to act as someone else.'
        ) : (
          <>
            Paste one of the headers <code>npm start</code> prints for each demo tenant:
          </>
        )}
      </p>
      <ul>
        <li>
          <code>{'{"Authorization": "Bearer eyJ…"}'}</code>: a user of the hospital (every scope, <code>phi:read</code>{' '}
          and <code>audit:read</code> included)
        </li>
        <li>
          <code>{'{"x-api-key": "demo_…"}'}</code>: the hospital’s own app (every scope)
        </li>
        <li>
          <code>{'{"x-api-key": "partner_…"}'}</code>: a partner (<code>imagesets:read</code> only; patient-identifying
          attributes are withheld)
        </li>
      </ul>
      <p>
        The Browse query’s <code>$ds</code> is a data store id (<code>{'{ datastores { datastoreId name } }'}</code>{' '}
        lists them). This page loads nothing from the internet, and keeps nothing in the browser once closed.
      </p>
    </div>
  );
}
