import { isRecord, resourceLabel } from '../core/model.js';
import { containersOf } from '../core/pod-spec.js';
import { AWS_KEY_ID, CREDENTIAL_ENV, credentialInContent } from '../core/secrets.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

/** Secret keys, compared lower-case with `-` and `.` read as `_`. */
const CREDENTIAL_KEYS: Record<string, string> = {
  aws_access_key_id: 'an AWS access key',
  aws_secret_access_key: 'an AWS secret access key',
  aws_session_token: 'an AWS session token',
  azure_client_secret: 'an Azure client secret',
  azure_client_certificate_password: 'an Azure client certificate password',
};

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-.]/g, '_');
}

function decodeBase64(value: string): string {
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return '';
  }
}

export const staticCloudCredentials: Rule = {
  meta: metaOf('static-cloud-credentials'),
  check(context) {
    const extra = (context.options['extra-env-names'] as string[] | undefined) ?? [];
    const envNames: Record<string, string> = { ...CREDENTIAL_ENV };
    for (const name of extra) envNames[name] = 'a static cloud credential';
    for (const workload of context.subjects.workloads) {
      const label = resourceLabel(workload.resource.ref);
      for (const { container, path } of containersOf(workload)) {
        if (!Array.isArray(container.env)) continue;
        container.env.forEach((variable, index) => {
          if (!isRecord(variable) || typeof variable.name !== 'string') return;
          const literalKeyId = typeof variable.value === 'string' && AWS_KEY_ID.test(variable.value.trim());
          // Own keys only: a variable named `constructor` or `toString` is not a credential.
          const named = Object.hasOwn(envNames, variable.name) ? envNames[variable.name] : undefined;
          const what = named ?? (literalKeyId ? 'an AWS access key' : undefined);
          if (!what) return;
          const from = isRecord(variable.valueFrom) ? variable.valueFrom : {};
          const source =
            typeof variable.value === 'string'
              ? 'written in the manifest'
              : isRecord(from.secretKeyRef)
                ? from.secretKeyRef.optional === true
                  ? 'read from a Secret when it holds the key: `optional: true`'
                  : 'read from a Secret'
                : isRecord(from.configMapKeyRef)
                  ? 'read from a ConfigMap'
                  : 'set at run time';
          context.report({
            resource: workload.resource,
            path: [...path, 'env', index],
            key: `${String(container.name)}:${variable.name}`,
            message:
              `${label}: container \`${String(container.name)}\` gets ${what} in \`${variable.name}\` (${source}). ` +
              'Static keys do not expire and leak with the pod; use workload identity (IRSA, GKE Workload Identity, Azure Workload Identity).',
          });
        });
      }
    }
    for (const secret of context.subjects.secrets) {
      const label = resourceLabel(secret.ref);
      for (const field of ['data', 'stringData'] as const) {
        const entries = secret.object.value[field];
        if (!isRecord(entries)) continue;
        for (const [key, value] of Object.entries(entries)) {
          const normalised = normaliseKey(key);
          let what: string | null = Object.hasOwn(CREDENTIAL_KEYS, normalised)
            ? CREDENTIAL_KEYS[normalised]!
            : null;
          if (!what && typeof value === 'string') {
            what = credentialInContent(field === 'data' ? decodeBase64(value) : value);
          }
          if (!what) continue;
          context.report({
            resource: secret,
            path: [field, key],
            key: `${field}:${key}`,
            message:
              `${label} holds ${what} in key \`${key}\`. Static cloud keys do not expire; use workload identity ` +
              'and remove the key.',
          });
        }
      }
    }
  },
};
