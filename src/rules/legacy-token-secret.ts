import { isRecord, nsKey, resourceLabel } from '../core/model.js';
import { LEGACY_TOKEN_TYPE } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';

export const legacyTokenSecret: Rule = {
  meta: metaOf('legacy-token-secret'),
  check(context) {
    for (const secret of context.model.secrets) {
      if (secret.object.value.type !== LEGACY_TOKEN_TYPE) continue;
      const owner = secret.annotations['kubernetes.io/service-account.name'];
      context.report({
        resource: secret,
        path: ['type'],
        message:
          `${resourceLabel(secret.ref)} is a long-lived ServiceAccount token${owner ? ` for \`${owner}\`` : ''}: it never ` +
          'expires and stays valid until the Secret is deleted. Use a projected token (TokenRequest) with an audience and an expiration.',
      });
    }
    const tokenSecrets = new Set(
      context.model.secrets
        .filter((secret) => secret.object.value.type === LEGACY_TOKEN_TYPE)
        .map((secret) => nsKey(secret.ref.namespace, secret.ref.name)),
    );
    for (const account of context.model.serviceAccounts) {
      const secrets = account.object.value.secrets;
      if (!Array.isArray(secrets) || secrets.length === 0) continue;
      // With enforce-mountable-secrets the list says which Secrets pods may mount: only token Secrets in it count.
      if (account.annotations[ENFORCE_MOUNTABLE_SECRETS] === 'true') {
        secrets.forEach((entry, index) => {
          const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : null;
          if (!name || !tokenSecrets.has(nsKey(account.ref.namespace, name))) return;
          context.report({
            resource: account,
            path: ['secrets', index],
            key: `secrets:${name}`,
            message:
              `${resourceLabel(account.ref)} lists the long-lived token Secret \`${name}\` among its mountable ` +
              'secrets. Remove it and use projected tokens.',
          });
        });
        continue;
      }
      const names = secrets
        .map((entry) => (isRecord(entry) && typeof entry.name === 'string' ? `\`${entry.name}\`` : null))
        .filter((name): name is string => name !== null);
      context.report({
        resource: account,
        path: ['secrets'],
        message:
          `${resourceLabel(account.ref)} lists token \`secrets\`${names.length > 0 ? ` (${names.join(', ')})` : ''}, ` +
          'the legacy long-lived token mechanism. Remove the list and use projected tokens.',
      });
    }
  },
};
