import { setServiceAccountAutomount } from '../core/fix.js';
import { automountField } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const defaultSaAutomount: Rule = {
  meta: metaOf('default-sa-automount'),
  check(context) {
    for (const account of context.model.serviceAccounts) {
      if (account.ref.name !== 'default') continue;
      const field = automountField(account.object.value);
      if (field === false) continue;
      const set = 'automountServiceAccountToken' in account.object.value;
      context.report({
        resource: account,
        path: set ? ['automountServiceAccountToken'] : ['metadata', 'name'],
        message:
          `The \`default\` ServiceAccount of namespace \`${account.ref.namespace}\` ` +
          `${field === true ? 'sets `automountServiceAccountToken: true`' : 'does not set `automountServiceAccountToken: false`'}, ` +
          'so every pod that names no ServiceAccount gets its API token. Set it to `false`.',
        fix: setServiceAccountAutomount(account),
      });
    }
  },
};
