import { isRecord, resourceLabel } from '../core/model.js';
import { serviceAccountOfSubject, subjectsOf } from '../core/rbac.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

const BROAD_GROUPS: Record<string, string> = {
  'system:serviceaccounts': 'every ServiceAccount in the cluster',
  'system:authenticated': 'every authenticated identity in the cluster',
  'system:unauthenticated': 'anonymous requests',
  // Members pass every authorization check whatever RBAC says: a grant to it adds nothing, and suggests the group is
  // being used to hand out access (Kubernetes' RBAC good practices: avoid adding users to it).
  'system:masters': 'whose members bypass RBAC and can never have their access reduced',
};

/** Users every caller can be: the identity of anonymous requests. */
const BROAD_USERS: Record<string, string> = {
  'system:anonymous': 'the identity of every anonymous request',
};

function roleText(roleRef: unknown): string {
  return isRecord(roleRef) ? `${String(roleRef.kind)} \`${String(roleRef.name)}\`` : 'its role';
}

export const defaultSaRbac: Rule = {
  meta: metaOf('default-sa-rbac'),
  check(context) {
    for (const binding of context.subjects.bindings) {
      const role = roleText(binding.object.value.roleRef);
      const label = resourceLabel(binding.ref);
      subjectsOf(binding).forEach((subject, index) => {
        const name = typeof subject.name === 'string' ? subject.name : '';
        let who: string | null = null;
        const account = serviceAccountOfSubject(subject, binding, context.model.defaultNamespace);
        if (account?.name === 'default') {
          who = `the \`default\` ServiceAccount of namespace \`${account.namespace}\`, the identity of every pod there that names no other`;
        } else if (subject.kind === 'User' && Object.hasOwn(BROAD_USERS, name)) {
          who = `user \`${name}\`, ${BROAD_USERS[name]}`;
        } else if (subject.kind === 'Group' && Object.hasOwn(BROAD_GROUPS, name)) {
          who = `group \`${name}\`, ${BROAD_GROUPS[name]}`;
        } else if (subject.kind === 'Group' && /^system:serviceaccounts:./.test(name)) {
          who = `group \`${name}\`, every ServiceAccount of namespace \`${name.slice('system:serviceaccounts:'.length)}\``;
        }
        if (!who) return;
        context.report({
          resource: binding,
          path: ['subjects', index],
          key: `${String(subject.kind)}:${account ? `${account.namespace}:` : ''}${name}`,
          message:
            `${label} grants ${role} to ${who}. Bind the role to the identity that needs it: a dedicated ` +
            'ServiceAccount of the workload, or a named user or group.',
        });
      });
    }
  },
};
