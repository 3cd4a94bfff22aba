import { setServiceAccountAutomount } from '../core/fix.js';
import { resourceLabel } from '../core/model.js';
import {
  WORKLOAD_IDENTITY_ANNOTATIONS,
  automountSetting,
  workloadIdentityOf,
} from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const workloadIdentityAutomount: Rule = {
  meta: metaOf('workload-identity-automount'),
  check(context) {
    for (const account of context.subjects.serviceAccounts) {
      const annotation = workloadIdentityOf(account);
      // `false` is the hardening; `true` on this dedicated account is explicit consent, the evidence of an API client.
      const setting = automountSetting(account.object.value);
      if (!annotation || setting.state === 'set') continue;
      const namespace = account.ref.namespace ?? context.model.defaultNamespace;
      const client = context.apiClients.serviceAccount(namespace, account.ref.name);
      const setUp =
        `${resourceLabel(account.ref)} is set up for ${WORKLOAD_IDENTITY_ANNOTATIONS[annotation]} (\`${annotation}\`)` +
        (setting.state === 'invalid'
          ? `, sets \`automountServiceAccountToken\` to ${setting.value}, which the API server refuses,`
          : '');
      if (client !== null) {
        // The cloud role is for the cloud; the Kubernetes token is for the API this workload calls. Both stay.
        context.report({
          resource: account,
          path: ['metadata', 'annotations', annotation],
          message:
            `${setUp} and mounts the Kubernetes API token, which it needs as an API client: ${client}. Cloud ` +
            'identity does not replace that token. Say `automountServiceAccountToken: true` on the ServiceAccount to ' +
            'make that consent explicit.',
          apiClient: client,
          fix: setServiceAccountAutomount(account, 'true'),
        });
        continue;
      }
      context.report({
        resource: account,
        path: ['metadata', 'annotations', annotation],
        message:
          `${setUp} but still mounts the Kubernetes API token into its pods. Nothing in the scan calls the API with ` +
          'it, and cloud identity does not need it; set `automountServiceAccountToken: false`.',
        fix: setServiceAccountAutomount(account),
      });
    }
  },
};
