import { automountToken } from './automount-token.js';
import { defaultSaAutomount } from './default-sa-automount.js';
import { defaultSaRbac } from './default-sa-rbac.js';
import { defaultServiceAccount } from './default-service-account.js';
import { deprecatedServiceAccountField } from './deprecated-service-account-field.js';
import { invalidAutomountValue } from './invalid-automount-value.js';
import { invalidSuppression } from './invalid-suppression.js';
import { legacyTokenMount } from './legacy-token-mount.js';
import { legacyTokenSecret } from './legacy-token-secret.js';
import { missingServiceAccount } from './missing-service-account.js';
import { namespaceDefaultSa } from './namespace-default-sa.js';
import { projectedTokenAudience } from './projected-token-audience.js';
import { projectedTokenExpiration } from './projected-token-expiration.js';
import { saPrivilegedRbac } from './sa-privileged-rbac.js';
import { sharedServiceAccount } from './shared-service-account.js';
import { staticCloudCredentials } from './static-cloud-credentials.js';
import { workloadIdentityAutomount } from './workload-identity-automount.js';
import type { Rule } from './types.js';

export class RuleRegistry {
  private readonly byId = new Map<string, Rule>();

  constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      if (this.byId.has(rule.meta.id)) throw new Error(`duplicate rule id: ${rule.meta.id}`);
      this.byId.set(rule.meta.id, rule);
    }
  }

  get(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  get rules(): Rule[] {
    return [...this.byId.values()];
  }
}

export const registry = new RuleRegistry([
  automountToken,
  invalidAutomountValue,
  defaultServiceAccount,
  deprecatedServiceAccountField,
  defaultSaAutomount,
  namespaceDefaultSa,
  defaultSaRbac,
  saPrivilegedRbac,
  legacyTokenSecret,
  legacyTokenMount,
  projectedTokenExpiration,
  projectedTokenAudience,
  sharedServiceAccount,
  workloadIdentityAutomount,
  staticCloudCredentials,
  missingServiceAccount,
  invalidSuppression,
]);
