import { setServiceAccountAutomount } from '../core/fix.js';
import { resourceLabel } from '../core/model.js';
import { automountField } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const WORKLOAD_IDENTITY_ANNOTATIONS: Record<string, string> = {
  'eks.amazonaws.com/role-arn': 'EKS IAM roles for service accounts',
  'iam.gke.io/gcp-service-account': 'GKE Workload Identity',
  'azure.workload.identity/client-id': 'Azure Workload Identity',
};

export const workloadIdentityAutomount: Rule = {
  meta: metaOf('workload-identity-automount'),
  check(context) {
    for (const account of context.model.serviceAccounts) {
      const annotation = Object.keys(WORKLOAD_IDENTITY_ANNOTATIONS).find((key) => key in account.annotations);
      if (!annotation || automountField(account.object.value) === false) continue;
      context.report({
        resource: account,
        path: ['metadata', 'annotations', annotation],
        message:
          `${resourceLabel(account.ref)} is set up for ${WORKLOAD_IDENTITY_ANNOTATIONS[annotation]} (\`${annotation}\`) ` +
          'but still mounts the Kubernetes API token into its pods. Cloud identity does not need it; set ' +
          '`automountServiceAccountToken: false`.',
        fix: setServiceAccountAutomount(account),
      });
    }
  },
};
