// Generated from policies/*.yml by `npm run docs`. Do not edit by hand.
import type { RuleMeta } from './types.js';

export const CATALOG: Record<string, RuleMeta> = {
  "automount-token": {
    "id": "automount-token",
    "title": "Pod mounts an API token it did not ask for",
    "severity": "medium",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags workloads whose pods get a Kubernetes API token mounted although nobody explicitly asked for one.",
    "description": "The rule works out the *effective* automount setting of every pod spec the way the API server does. Pod specs\nare those of Kubernetes' own workload kinds, judged by kind and API group whatever their pod template holds\n(Pod, PodTemplate and ReplicationController of the core group; Deployment, StatefulSet, DaemonSet and\nReplicaSet of `apps`; Job and CronJob of `batch`): a template without `containers`, which the API server\nrefuses, still says how its pods would run, and one without any pod spec is read as an empty one. Any other\nobject counts when it has `spec.template.spec.containers` (Argo Rollouts and similar custom resources,\nincluding a kind of the same name in another group). The effective setting:\n\n1. `automountServiceAccountToken` in the pod spec, when it is set, decides;\n2. otherwise the field on the pod's ServiceAccount decides;\n3. otherwise the token is mounted (Kubernetes defaults to `true`).\n\nThe pod's ServiceAccount is `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. It is\nlooked up by name in the workload's namespace across every scanned document, not only the changed files.\nWhen it is declared more than once (overlays, copies), a copy that mounts the token is the one used, so a\nhardening that only one copy has is not assumed.\nYAML 1.1 booleans count as the API server reads them, so `automountServiceAccountToken: no` or `off` is\n`false`. A value the API server refuses (the string `\"false\"`, a number) is neither set nor unset: a pod spec\nthat holds one is not created, so nothing fires here (`invalid-automount-value` reports it), and a\nServiceAccount that holds one cannot be relied on, so its pods that set no value of their own are treated as\nfor an unresolved account (below), and the message names the value.\n\nIt fires when the token ends up mounted **without explicit opt-in**. Opt-in means `true` written in the pod\nspec, or `true` on a dedicated (non-`default`) ServiceAccount. A `true` on the `default` ServiceAccount is not\nconsent from the workload and does not count.\n\nWhen the ServiceAccount is not declared anywhere in the scanned set it is *unresolved*. With\n`assume-unresolved-mounts` on (the default) an unresolved ServiceAccount is treated as mounting the token, as\nKubernetes would for an account created without the field, and the message says the ServiceAccount was not\nfound. Turn the option off to skip such workloads instead.\n\nSeverity is `medium`, raised to `high` when the ServiceAccount is `default`, or when it is the subject of a\nbinding to privileged RBAC in the scanned set (see `sa-privileged-rbac`); the message then names the binding\nand the role.\n\nIt does not fire when the effective value is `false`, or when the workload opted in as described above.\n\n**The `kube-api-access-*` volume.** A pod exported from a cluster carries the volume Kubernetes added for the\nautomounted token: a projected volume named `kube-api-access-<suffix>` with a `serviceAccountToken` source\n(`expirationSeconds: 3607`, no audience), mounted at `/var/run/secrets/kubernetes.io/serviceaccount`. The\nServiceAccount admission plugin takes any volume whose name starts with `kube-api-access-` as that volume, so\nit is judged here, and only here (the projected-token rules leave it alone):\n\n- when the token is mounted without opt-in, the message names the volume and the fix is withheld, since\n  `automountServiceAccountToken: false` alone would leave the volume, and the token, mounted: remove the volume\n  and the `volumeMounts` that name it as well;\n- when the setting says `false` (the pod's, or the ServiceAccount's) but a container mounts such a volume,\n  the token is mounted all the same: the rule fires, pointing at the volume, without a fix;\n- after an opt-in it is the token the workload asked for, and nothing fires.\n\n**API clients.** A workload that calls the API must keep its token, so the rule first asks whether it is an\nAPI client, from evidence: its ServiceAccount is a subject (by name, or as the user\n`system:serviceaccount:<namespace>:<name>`) of any RoleBinding or ClusterRoleBinding in the scanned or rendered\nset, whatever the role; the config's `api-clients` globs match its `namespace/name`; the workload or its pod\ntemplate carries the annotation `kube-token-guard.io/api-client`; or its pod asks an injector for an agent that\nlogs in with the pod's token (`vault.hashicorp.com/agent-inject: \"true\"` without\n`vault.hashicorp.com/agent-service-account-token-volume-name`, `consul.hashicorp.com/connect-inject: \"true\"`).\nBindings to groups are not evidence. For an\nAPI client the finding is `info` whatever the configured severity (it never blocks by itself; the binding's own\nfindings carry the privilege), its message names the evidence, and its fix writes\n`automountServiceAccountToken: true` in the pod spec: the consent made explicit, after which the rule is quiet.\nNo values or template fix is probed for it, and autofix leaves it to a person.",
    "rationale": "A mounted token lets anything running in the container call the Kubernetes API as the pod's ServiceAccount.\nMost application pods never talk to the API, so for them the token is pure attack surface: a remote code\nexecution bug, a path traversal or a server-side request forgery that can read\n`/var/run/secrets/kubernetes.io/serviceaccount/token` hands the attacker a cluster credential. How far the\nattacker gets then depends on the RBAC bound to that account, which is why a token for `default` or for a\nprivileged account is rated higher.",
    "remediation": "Set `automountServiceAccountToken: false` in the pod spec, or on a dedicated ServiceAccount used only by this\nworkload. The automatic fix inserts `automountServiceAccountToken: false` into the pod spec, next to\n`serviceAccountName` when that key is present; none is offered for a pod spec carrying a `kube-api-access-*`\nvolume, which has to go too. For a workload judged an API client the fix inserts\n`automountServiceAccountToken: true` instead: it removes nothing.\n\nWhen the workload really calls the Kubernetes API (an operator, a controller, a leader-election sidecar), give\nit a dedicated ServiceAccount bound to a least-privilege Role and say `automountServiceAccountToken: true`\nexplicitly in the pod spec; the rule then treats the mount as intended. If the workload only needs to prove\nits identity to another service, prefer a projected `serviceAccountToken` volume with an `audience` and a\nshort `expirationSeconds`. For a case that fits neither, suppress it with\n`kube-token-guard.io/ignore: \"automount-token: <reason>\"` or a config exemption, both of which need a reason.",
    "options": {
      "assume-unresolved-mounts": {
        "type": "boolean",
        "default": true,
        "description": "Treat a ServiceAccount that is not declared in the scanned files as mounting the token, as Kubernetes does when the field is unset."
      }
    },
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: payments-api\n  namespace: payments\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\n  namespace: payments\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: payments-api\n  template:\n    metadata:\n      labels:\n        app: payments-api\n    spec:\n      serviceAccountName: payments-api\n      containers:\n        - name: api\n          image: registry.example.com/payments-api:1.8.2\n          ports:\n            - containerPort: 8080\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: payments-api\n  namespace: payments\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\n  namespace: payments\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: payments-api\n  template:\n    metadata:\n      labels:\n        app: payments-api\n    spec:\n      serviceAccountName: payments-api\n      automountServiceAccountToken: false\n      containers:\n        - name: api\n          image: registry.example.com/payments-api:1.8.2\n          ports:\n            - containerPort: 8080\n"
    },
    "references": [
      {
        "title": "Configure Service Accounts for Pods",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      },
      {
        "title": "Service Accounts",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      },
      {
        "title": "Managing Service Accounts (bound service account token volume, `kube-api-access-*`)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume"
      }
    ]
  },
  "default-sa-automount": {
    "id": "default-sa-automount",
    "title": "Default ServiceAccount still automounts its token",
    "severity": "medium",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags declared `default` ServiceAccounts that do not set `automountServiceAccountToken` to `false`.",
    "description": "Fires for each ServiceAccount named `default` in the scanned set whose `automountServiceAccountToken` is\nmissing or `true`. YAML 1.1 booleans count as the API server reads them, so `no` and `off` are `false` and\nmake the account compliant.\n\nWhen a workload that runs as `default` in that namespace is an API client (see `automount-token`), or the\n`default` account itself is a binding subject, switching the token off would break it: the finding is then\n`info`, names the evidence, and has no fix; move that workload to a ServiceAccount of its own first.\n\nIn the namespaces every cluster has (`default`, `kube-system`, `kube-public`, `kube-node-lease`) the finding\nhas no fix either, as `namespace-default-sa`'s has none there: the cluster runs pods in them that no repository\ndeclares (add-ons, the cloud's agents), and turning off the `default` account's token could break one the scan\nnever sees.\n\nIt does not fire when the field is `false`. When a Namespace is scanned but no `default` ServiceAccount is\ndeclared for it at all, `namespace-default-sa` reports that instead.",
    "rationale": "Every pod that names no ServiceAccount runs as `default`, so this one field decides whether all of those pods\ncarry an API token. Turning it off at the account is a namespace-wide safety net: a workload added later, or\na chart that forgets `serviceAccountName`, no longer gets a credential it did not ask for. Workloads that need\nthe API keep working once they opt in on a dedicated account.",
    "remediation": "Add `automountServiceAccountToken: false` at the top level of the `default` ServiceAccount (next to\n`metadata`, not inside it). The automatic fix adds the field, or replaces a `true` value with `false`.\n\nBefore applying it, check for pods in the namespace that run as `default` and really call the API: give them a\ndedicated ServiceAccount and an explicit `automountServiceAccountToken: true` in their pod spec.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: storefront\nimagePullSecrets:\n  - name: registry-credentials\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: storefront\nimagePullSecrets:\n  - name: registry-credentials\nautomountServiceAccountToken: false\n"
    },
    "references": [
      {
        "title": "Configure Service Accounts for Pods (opt out of API credential automounting)",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      },
      {
        "title": "Service Accounts",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      }
    ]
  },
  "default-sa-rbac": {
    "id": "default-sa-rbac",
    "title": "RBAC grants permissions to a default or catch-all identity",
    "severity": "high",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags RoleBindings and ClusterRoleBindings whose subjects are `default` ServiceAccounts, groups that include every ServiceAccount or every caller, the anonymous user, or `system:masters`.",
    "description": "Fires once per offending subject of a RoleBinding or ClusterRoleBinding, whatever role it grants, when the\nsubject is:\n\n- a `ServiceAccount` named `default` (its namespace is the subject's `namespace`, else the RoleBinding's; a\n  ClusterRoleBinding's subject without one binds nothing, since the API server refuses such a binding);\n- a `User` named `system:serviceaccount:<namespace>:default`, which is the same identity spelled as a user;\n- the `Group` `system:serviceaccounts` (every ServiceAccount in the cluster) or\n  `system:serviceaccounts:<namespace>` (every ServiceAccount in one namespace);\n- the `Group` `system:authenticated` (every authenticated caller) or `system:unauthenticated` (anonymous\n  requests), or the `User` `system:anonymous` (the identity of every anonymous request);\n- the `Group` `system:masters`, whose members bypass RBAC altogether and cannot have their access reduced by\n  removing bindings: a grant to it adds nothing, and suggests the group is being used to hand out access.\n\nIt does not fire for subjects that name a dedicated ServiceAccount, a user or an ordinary group. Whether the\ngranted role is privileged is judged separately by `sa-privileged-rbac`.",
    "rationale": "A grant to `default` reaches every pod in the namespace that names no ServiceAccount, including ones added\nlater by other teams or charts. A grant to the `system:serviceaccounts` groups reaches every workload in the\nnamespace or cluster, and `system:authenticated`, `system:unauthenticated` or `system:anonymous` reach any\ncaller at all. `system:masters` bypasses RBAC, so a grant to it hints that membership in that group is how\naccess is handed out, access that no removed binding can take back. One\ncompromised pod, or an anonymous request, then holds whatever the role allows, and the grant cannot be\nrevoked for one workload without breaking the others.",
    "remediation": "Create a dedicated ServiceAccount for the workload that needs the permissions and bind the role to that\naccount only. Remove the `default` or group subject. There is no automatic fix, because which workload\nactually relies on the grant has to be decided by a person.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: report-builder-view\n  namespace: reporting\nsubjects:\n  - kind: ServiceAccount\n    name: default\n    namespace: reporting\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: report-builder\n  namespace: reporting\nautomountServiceAccountToken: false\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: report-builder-view\n  namespace: reporting\nsubjects:\n  - kind: ServiceAccount\n    name: report-builder\n    namespace: reporting\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n"
    },
    "references": [
      {
        "title": "Using RBAC Authorization (default roles and role bindings)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings"
      },
      {
        "title": "Authenticating (anonymous requests, system:anonymous)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests"
      },
      {
        "title": "Role Based Access Control Good Practices",
        "url": "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"
      }
    ]
  },
  "default-service-account": {
    "id": "default-service-account",
    "title": "Workload runs as the namespace's default ServiceAccount",
    "severity": "medium",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags workloads that run as the `default` ServiceAccount instead of an identity of their own.",
    "description": "Fires for every pod spec whose ServiceAccount is `default`: neither `serviceAccountName` nor the deprecated\n`serviceAccount` is set, one of them is an empty string, or one of them says `default`.\n\nIt fires whatever the effective automount setting is, because the identity itself is shared: even with the\ntoken unmounted, any RBAC granted to `default` (now or later) applies to this workload, and audit logs cannot\ntell its requests apart from those of other pods.\n\nSeverity is `medium`, raised to `high` when the token is mounted because someone said so explicitly, judged\nby Kubernetes' own precedence (the same decision `automount-token` reads): the pod spec says\n`automountServiceAccountToken: true`, or the pod spec leaves the field unset and the `default` ServiceAccount\ndeclared for that namespace in the scanned set says `true`. A pod-level `false` wins over the account's\n`true` (no token is mounted), so it stays `medium`.\n\nIt does not fire for workloads that name any other ServiceAccount, whether or not that account is declared in\nthe scanned set (see `missing-service-account` for the latter).",
    "rationale": "`default` is created by Kubernetes in every namespace and is used by every pod that names no other account,\nso it is the identity most likely to collect permissions over time: one team binds a Role to it \"to make\nsomething work\" and every pod in the namespace inherits the grant. A compromise of any of those pods then\nexposes all of them, and least privilege per workload becomes impossible. A dedicated ServiceAccount per\nworkload keeps grants, audit trails and revocation scoped to one application.",
    "remediation": "Create a ServiceAccount for the workload (usually named after it) with `automountServiceAccountToken: false`,\nbind to it only the Roles the workload needs with a RoleBinding, and set `serviceAccountName` in the pod\nspec. There is no automatic fix, since the new account and its grants are a design decision; the finding's\nmessage shows the account to create.\n\nVendor charts that cannot be changed can be exempted with\n`kube-token-guard.io/ignore: \"default-service-account: <reason>\"` or a config exemption with a reason.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront-web\n  namespace: storefront\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: storefront-web\n  template:\n    metadata:\n      labels:\n        app: storefront-web\n    spec:\n      automountServiceAccountToken: false\n      containers:\n        - name: web\n          image: registry.example.com/storefront-web:2.4.0\n          ports:\n            - containerPort: 3000\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: storefront-web\n  namespace: storefront\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront-web\n  namespace: storefront\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: storefront-web\n  template:\n    metadata:\n      labels:\n        app: storefront-web\n    spec:\n      serviceAccountName: storefront-web\n      automountServiceAccountToken: false\n      containers:\n        - name: web\n          image: registry.example.com/storefront-web:2.4.0\n          ports:\n            - containerPort: 3000\n"
    },
    "references": [
      {
        "title": "Configure Service Accounts for Pods (the pod spec takes precedence over the ServiceAccount)",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"
      },
      {
        "title": "Service Accounts",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      },
      {
        "title": "Role Based Access Control Good Practices",
        "url": "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
      }
    ]
  },
  "deprecated-service-account-field": {
    "id": "deprecated-service-account-field",
    "title": "Pod spec uses the deprecated serviceAccount field",
    "severity": "low",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags pod specs that name their ServiceAccount with the deprecated `serviceAccount` field.",
    "description": "Fires when a pod spec (of any workload kind) contains the key `serviceAccount`, the old alias of\n`serviceAccountName`.\n\n- Only `serviceAccount` is set: the finding asks for the key to be renamed.\n- Both are set to the same value: the finding asks for the redundant `serviceAccount` line to be removed.\n- `serviceAccountName` is empty (`\"\"` or `null`) and `serviceAccount` names an account: Kubernetes reads\n  the empty field as unset and runs the pod as the alias's account, so removing the alias alone would move\n  the pod to `default`. The finding asks for `serviceAccountName` to be set to that account first, and carries\n  no fix.\n- Both are set to different values: Kubernetes uses `serviceAccountName` and ignores the alias, so the\n  manifest reads as one identity while the pod runs as another; the finding asks for a human to decide and\n  carries no fix.\n\nIt does not fire for pod specs that only use `serviceAccountName`. For working out which ServiceAccount the\npod runs as (in the other rules), `serviceAccount` is still honoured when `serviceAccountName` is absent or\nempty.",
    "rationale": "`serviceAccount` has been deprecated for years and is kept only for compatibility. Tools, policies and\nreviewers that look at `serviceAccountName` alone can miss the real identity of the pod, and a manifest that\nsets both to different values silently runs as the one a reader is less likely to notice. Using the single\nsupported field keeps the identity of a workload obvious.",
    "remediation": "Use `serviceAccountName`. The automatic fix renames the `serviceAccount` key to `serviceAccountName` when it\nis alone, or deletes the `serviceAccount` line when `serviceAccountName` is also present with the same value.\nWhen the two disagree, check which account the workload should run as and keep only `serviceAccountName`.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: inventory-sync\n  namespace: warehouse\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inventory-sync\n  namespace: warehouse\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: inventory-sync\n  template:\n    metadata:\n      labels:\n        app: inventory-sync\n    spec:\n      serviceAccount: inventory-sync\n      containers:\n        - name: sync\n          image: registry.example.com/inventory-sync:0.9.1\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: inventory-sync\n  namespace: warehouse\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inventory-sync\n  namespace: warehouse\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: inventory-sync\n  template:\n    metadata:\n      labels:\n        app: inventory-sync\n    spec:\n      serviceAccountName: inventory-sync\n      containers:\n        - name: sync\n          image: registry.example.com/inventory-sync:0.9.1\n"
    },
    "references": [
      {
        "title": "Pod v1 API reference (serviceAccountName)",
        "url": "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/"
      },
      {
        "title": "Configure Service Accounts for Pods",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      }
    ]
  },
  "invalid-automount-value": {
    "id": "invalid-automount-value",
    "title": "automountServiceAccountToken has a value the API server refuses",
    "severity": "high",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags pod specs and ServiceAccounts whose `automountServiceAccountToken` is not a boolean, such as the string `\"false\"` or a number.",
    "description": "`automountServiceAccountToken` is a boolean in the pod spec and on the ServiceAccount. The API server decodes a\nmanifest into its types before anything else, and a value of another type cannot be decoded: the object is\nrefused (`Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go\nstruct field ... of type bool`), by `kubectl apply` and `helm install` alike. This rule fires for\nevery pod spec (of the workloads `automount-token` reads) and every ServiceAccount whose\n`automountServiceAccountToken` is present, not null, and not a boolean: a quoted `\"false\"` or `'true'`, a\nnumber such as `0`, a map or a list. The message names the value and its type.\n\nValues are read as Kubernetes reads YAML: `false`, `true` and the YAML 1.1 spellings `no`, `off`, `yes`, `on`\nare booleans and valid; an absent field, `null` or `~` is unset and valid.\n\nOther rules do not read such a value as unset. `automount-token` says nothing of a pod spec whose own value\nis refused (no such pod is created); a pod that sets no value of its own and runs as a ServiceAccount with a\nrefused value is judged as for an undeclared account (the token is taken to be mounted), and its message\nnames the value. `default-service-account` raises its severity only for an explicit `true`.",
    "rationale": "A quoted boolean usually comes from a template (`{{ .Values.automount | quote }}`) or a hand edit, and the\nauthor meant the word inside the quotes. The apply then fails, or a scanner that reads the value loosely\nreports the pod as hardened (or as mounting \"by default\") when no such pod exists. Saying exactly what the API\nserver will do keeps the finding and the cluster in agreement.",
    "remediation": "Write the value as a YAML boolean without quotes, `false` (or `true` where the workload calls the API). In a\nHelm template, render the value without `quote` (for example `{{ .Values.automount }}` or\n`{{ .Values.automount | toYaml }}`). There is no automatic fix: which of the two the author meant is theirs to\nsay.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: image-resizer\n  namespace: media\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: image-resizer\n  template:\n    metadata:\n      labels:\n        app: image-resizer\n    spec:\n      serviceAccountName: image-resizer\n      automountServiceAccountToken: \"false\"\n      containers:\n        - name: resizer\n          image: registry.example.com/image-resizer:3.1.0\n",
      "hardened": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: image-resizer\n  namespace: media\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: image-resizer\n  template:\n    metadata:\n      labels:\n        app: image-resizer\n    spec:\n      serviceAccountName: image-resizer\n      automountServiceAccountToken: false\n      containers:\n        - name: resizer\n          image: registry.example.com/image-resizer:3.1.0\n"
    },
    "references": [
      {
        "title": "Pod v1 API reference (PodSpec automountServiceAccountToken, boolean)",
        "url": "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/"
      },
      {
        "title": "ServiceAccount v1 API reference (automountServiceAccountToken, boolean)",
        "url": "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/service-account-v1/"
      },
      {
        "title": "Configure Service Accounts for Pods (opt out of API credential automounting)",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"
      }
    ]
  },
  "invalid-suppression": {
    "id": "invalid-suppression",
    "title": "Suppression annotation is malformed and has no effect",
    "severity": "low",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags `kube-token-guard.io/ignore` annotations that give no reason or name a rule that does not exist.",
    "description": "A finding can be suppressed with the annotation\n`kube-token-guard.io/ignore: \"<rule>[,<rule>]: <reason>\"` on the resource's own `metadata`, or on the pod\ntemplate's `metadata` of a workload; the rule list may also be `all`. Everything after the first `:` is the\nreason. This rule checks every such annotation and fires when:\n\n- there is no reason: no `:` after the rule list, or nothing but spaces after it;\n- the rule list is empty; or\n- a listed rule id is not a rule of kube-token-guard (for example a typo such as `automount-tokens`); the\n  message names the unknown ids.\n\nA malformed suppression does not take effect for what it gets wrong, so a typo or a missing reason never\nsilently weakens the scan: an annotation without a reason, or without rules, suppresses nothing, and an\nunknown rule id suppresses nothing (valid ids listed next to it, with a reason, still apply). The findings it\nmeant to hide are reported as usual until the annotation is fixed. It does not fire for well-formed\nannotations, whether or not a finding matches them.",
    "rationale": "A suppression is a decision to accept a risk, and the reason is what lets a reviewer or an auditor judge it\nlater. An exception without a reason tends to outlive whatever justified it. A misspelled rule id is worse:\nthe author believes a finding is handled on purpose while the annotation does nothing, or, if it were\nhonoured loosely, could hide more than intended.",
    "remediation": "Write the annotation as `kube-token-guard.io/ignore: \"<rule-id>[,<rule-id>]: <why this is acceptable>\"`,\nwith rule ids exactly as listed in the rule catalog (or `all`, sparingly) and a reason a reviewer can check,\nfor example `\"automount-token: the operator reconciles ConfigMaps through the API\"`. Quote the whole value,\nsince it contains `: `. For exceptions that apply to many resources, prefer a config `exemptions` entry,\nwhich also requires a reason. There is no automatic fix.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: legacy-reports\n  namespace: reporting\n  annotations:\n    kube-token-guard.io/ignore: default-service-account\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: legacy-reports\n  template:\n    metadata:\n      labels:\n        app: legacy-reports\n    spec:\n      automountServiceAccountToken: false\n      containers:\n        - name: reports\n          image: registry.example.com/legacy-reports:7.3.1\n",
      "hardened": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: legacy-reports\n  namespace: reporting\n  annotations:\n    kube-token-guard.io/ignore: \"default-service-account: vendor image is certified only with the default account; token not mounted, see OPS-412\"\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: legacy-reports\n  template:\n    metadata:\n      labels:\n        app: legacy-reports\n    spec:\n      automountServiceAccountToken: false\n      containers:\n        - name: reports\n          image: registry.example.com/legacy-reports:7.3.1\n"
    },
    "references": [
      {
        "title": "Annotations",
        "url": "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/"
      }
    ]
  },
  "legacy-token-mount": {
    "id": "legacy-token-mount",
    "title": "Pod uses a long-lived ServiceAccount token Secret",
    "severity": "high",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags pods that mount or read a Secret of type `kubernetes.io/service-account-token`.",
    "description": "Fires once per reference when a pod spec uses a Secret that is a legacy token Secret, meaning a Secret of\ntype `kubernetes.io/service-account-token` declared in the same namespace in the scanned set. A reference is\nany of:\n\n- a `secret` volume (`secretName`);\n- a `secret` source of a `projected` volume;\n- an environment variable with `valueFrom.secretKeyRef`;\n- an `envFrom` entry with `secretRef`;\n\nin any container, init container or ephemeral container. It does not fire for Secrets of other types, or\nfor Secrets that are not declared in the scanned set (their type is unknown). The Secret itself is reported\nby `legacy-token-secret`.",
    "rationale": "A token read from such a Secret never expires and is not bound to the pod, so if the pod is compromised the\nattacker leaves with a credential that keeps working after the pod, its node and even the workload are\ngone. Exposing it as an environment variable makes it worse: environment variables end up in crash dumps,\ndebug endpoints and logs far more often than files do.",
    "remediation": "Replace the Secret with a projected `serviceAccountToken` volume source. Set `audience` to the service that\nwill check the token (so it is not a general API token) and keep `expirationSeconds` short; the kubelet\nrotates the file before it expires, so the application should re-read it rather than cache it. If the pod\nneeds the Kubernetes API itself, run it under a dedicated ServiceAccount and opt in with\n`automountServiceAccountToken: true`. Then delete the legacy Secret. There is no automatic fix.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ledger-sync\n  namespace: finance\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ledger-sync-token\n  namespace: finance\n  annotations:\n    kubernetes.io/service-account.name: ledger-sync\ntype: kubernetes.io/service-account-token\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger-sync\n  namespace: finance\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ledger-sync\n  template:\n    metadata:\n      labels:\n        app: ledger-sync\n    spec:\n      serviceAccountName: ledger-sync\n      containers:\n        - name: sync\n          image: registry.example.com/ledger-sync:3.1.0\n          env:\n            - name: VAULT_ADDR\n              value: https://vault.example.internal:8200\n          volumeMounts:\n            - name: sa-token\n              mountPath: /var/run/secrets/ledger-sync\n              readOnly: true\n      volumes:\n        - name: sa-token\n          secret:\n            secretName: ledger-sync-token\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ledger-sync\n  namespace: finance\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ledger-sync\n  namespace: finance\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ledger-sync\n  template:\n    metadata:\n      labels:\n        app: ledger-sync\n    spec:\n      serviceAccountName: ledger-sync\n      containers:\n        - name: sync\n          image: registry.example.com/ledger-sync:3.1.0\n          env:\n            - name: VAULT_ADDR\n              value: https://vault.example.internal:8200\n          volumeMounts:\n            - name: vault-token\n              mountPath: /var/run/secrets/ledger-sync\n              readOnly: true\n      volumes:\n        - name: vault-token\n          projected:\n            sources:\n              - serviceAccountToken:\n                  path: token\n                  audience: vault\n                  expirationSeconds: 3600\n"
    },
    "references": [
      {
        "title": "Projected Volumes (serviceAccountToken)",
        "url": "https://kubernetes.io/docs/concepts/storage/projected-volumes/"
      },
      {
        "title": "Managing Service Accounts (legacy token cleanup)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"
      }
    ]
  },
  "legacy-token-secret": {
    "id": "legacy-token-secret",
    "title": "Long-lived ServiceAccount token stored in a Secret",
    "severity": "high",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags Secrets of type `kubernetes.io/service-account-token` and ServiceAccounts that list token Secrets or Secrets of unknown type.",
    "description": "Fires for:\n\n- each Secret whose `type` is `kubernetes.io/service-account-token`. Kubernetes fills such a Secret with a\n  token for the ServiceAccount named in its `kubernetes.io/service-account.name` annotation, and that token\n  does not expire;\n- each ServiceAccount whose `secrets` list (the field through which older clusters attached generated token\n  Secrets to the account) names a token Secret, or a Secret of unknown type. Each entry is judged by the\n  Secret it names in the account's namespace: one the scanned set declares as `kubernetes.io/service-account-token`\n  is a legacy token and is named as one; one declared with any other type (an absent `type` is `Opaque`, as the\n  API server defaults it) is an ordinary Secret and is not reported; one the scanned set does not declare is\n  reported as *of unknown type*, never called a token, since it may be one. One finding per account lists\n  both kinds. When the account carries `kubernetes.io/enforce-mountable-secrets: \"true\"`, the list is an\n  allow-list of Secrets its pods may mount, so only entries that are token Secrets in the scanned set are\n  reported, each at its entry.\n\nThe finding names the Secret or the listed entries, never any Secret data. It does not fire for other Secret\ntypes, for a `secrets` list whose entries all name declared non-token Secrets (Argo CD's `redis-ha` account\nlisting its Opaque password Secret, say), or for ServiceAccounts without `secrets` (an `imagePullSecrets`\nlist is fine). Workloads that mount or read such a Secret are reported separately by `legacy-token-mount`.",
    "rationale": "A Secret-based token is valid until the Secret is deleted: it has no expiry, is not bound to a pod, and keeps\nworking after the workload that used it is gone. Anyone who can read Secrets in the namespace, a leaked\nbackup, or a copy pasted into a CI system holds a permanent credential for the account. Tokens from the\nTokenRequest API (projected volumes, `kubectl create token`) expire and are bound to their pod, so a leak is\nlimited in time.",
    "remediation": "Delete the Secret and the `secrets` entries, and obtain tokens through the TokenRequest API instead: a\nprojected `serviceAccountToken` volume with an `audience` and a short `expirationSeconds` for pods, or\n`kubectl create token <account> --duration=...` for tools outside the cluster. If an external system really\nneeds a long-lived credential, prefer its own identity federation (OIDC) over a Kubernetes token. There is no\nautomatic fix, because the consumers of the token have to be moved first. A documented exception can be\nrecorded with `kube-token-guard.io/ignore: \"legacy-token-secret: <reason>\"`.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-bot\n  namespace: ci\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: build-bot-token\n  namespace: ci\n  annotations:\n    kubernetes.io/service-account.name: build-bot\ntype: kubernetes.io/service-account-token\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-bot\n  namespace: ci\nautomountServiceAccountToken: false\n"
    },
    "references": [
      {
        "title": "Managing Service Accounts (legacy token cleanup)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"
      },
      {
        "title": "Secrets (types of Secret, service account token Secrets)",
        "url": "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"
      },
      {
        "title": "ServiceAccount v1 API reference (secrets)",
        "url": "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/service-account-v1/"
      },
      {
        "title": "Service Accounts (get a token)",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      }
    ]
  },
  "missing-service-account": {
    "id": "missing-service-account",
    "title": "Workload names a ServiceAccount that is not declared",
    "severity": "low",
    "fixable": false,
    "presets": [
      "strict"
    ],
    "summary": "Flags workloads that run as a non-default ServiceAccount not declared anywhere in the scanned manifests.",
    "description": "Enabled by the `strict` preset only. Fires when a pod spec names a ServiceAccount other than `default` (with\n`serviceAccountName`, or the deprecated `serviceAccount`) and no ServiceAccount of that name is declared in\nthe workload's namespace in any scanned document.\n\nIt does not fire for `default`, which Kubernetes always creates, or when the account is declared in any\nscanned file, changed or not.",
    "rationale": "When the account is defined elsewhere (by hand, by another repository, or not at all), its\n`automountServiceAccountToken` setting, its workload identity annotations and its RBAC cannot be reviewed\ntogether with the workload, and the other rules must guess: `automount-token` assumes such an account mounts\nthe token. If the account does not exist, the pods are not created at all, which usually surfaces as a\nstuck rollout rather than a clear error.",
    "remediation": "Declare the ServiceAccount next to the workload that uses it, with `automountServiceAccountToken: false`\nunless the workload needs the API, or include the manifests that declare it in the scan. If it is managed\non purpose by another system (a platform team, an operator), exempt the workload with a config exemption or\n`kube-token-guard.io/ignore: \"missing-service-account: <reason>\"`. There is no automatic fix.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search-indexer\n  namespace: catalog\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: search-indexer\n  template:\n    metadata:\n      labels:\n        app: search-indexer\n    spec:\n      serviceAccountName: search-indexer\n      automountServiceAccountToken: false\n      containers:\n        - name: indexer\n          image: registry.example.com/search-indexer:0.14.2\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: search-indexer\n  namespace: catalog\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: search-indexer\n  namespace: catalog\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: search-indexer\n  template:\n    metadata:\n      labels:\n        app: search-indexer\n    spec:\n      serviceAccountName: search-indexer\n      automountServiceAccountToken: false\n      containers:\n        - name: indexer\n          image: registry.example.com/search-indexer:0.14.2\n"
    },
    "references": [
      {
        "title": "Configure Service Accounts for Pods",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      },
      {
        "title": "Managing Service Accounts",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"
      }
    ]
  },
  "namespace-default-sa": {
    "id": "namespace-default-sa",
    "title": "Namespace has no hardened default ServiceAccount",
    "severity": "low",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags Namespaces in the scanned set for which no `default` ServiceAccount is declared.",
    "description": "Fires for each Namespace object in the scanned set when no ServiceAccount named `default` is declared in that\nnamespace in any scanned document. A ServiceAccount's namespace is its `metadata.namespace`, else the render\nnamespace (Helm, kustomize), else the configured default namespace.\n\nIt does not fire when such a ServiceAccount is declared, whatever it says: a declared `default` account that\nis not hardened is reported by `default-sa-automount` instead, so the same gap is never reported twice.\nNamespaces that are only referenced (by `metadata.namespace` of other objects) but not declared as a\nNamespace object are not checked.",
    "rationale": "Kubernetes creates the `default` ServiceAccount of a new namespace on its own, with token automounting on.\nIf the manifests that create the namespace do not also declare that account, every pod there that forgets\n`serviceAccountName` silently receives an API token, and nothing in the repository shows it. Declaring the\nhardened account next to the Namespace makes the safe setting part of the namespace's definition.",
    "remediation": "Declare the `default` ServiceAccount of the namespace with `automountServiceAccountToken: false` in the same\nchange that creates the Namespace. The automatic fix appends such a ServiceAccount document for the\nnamespace to the YAML file that declares the Namespace (a JSON file holds one object, so there it offers\nnone: declare the account in a file of its own). Applying it with `kubectl apply` updates the account\nKubernetes already created. When a workload running as `default` in the namespace is an API client (see\n`automount-token`), there is no fix: the finding is `info` and names the workload to move to its own account\nfirst. Nor is there one for the namespaces every cluster has (`default`, `kube-system`, `kube-public`,\n`kube-node-lease`): the cluster runs pods there that no repository declares (add-ons, the cloud's agents), and\nturning off the `default` account's token could break one the scan never sees.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: checkout\n  labels:\n    team: payments\n",
      "hardened": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: checkout\n  labels:\n    team: payments\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: checkout\nautomountServiceAccountToken: false\n"
    },
    "references": [
      {
        "title": "Service Accounts (default service accounts)",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      },
      {
        "title": "Configure Service Accounts for Pods",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      }
    ]
  },
  "projected-token-audience": {
    "id": "projected-token-audience",
    "title": "Projected token has no specific audience",
    "severity": "low",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags projected `serviceAccountToken` sources that leave `audience` unset, or set one outside the allowed list.",
    "description": "Looks at every `serviceAccountToken` source of every `projected` volume in a pod spec and fires when:\n\n- `audience` is absent or empty. The token then defaults to the API server's own audience, so it is a full\n  Kubernetes API token for the pod's ServiceAccount, just mounted at a different path. Severity `low`, or\n  `medium` when `allowed-audiences` is configured;\n- `allowed-audiences` is non-empty and `audience` is not one of its entries. Severity `medium`.\n\nWith the default empty `allowed-audiences`, any explicit audience is accepted.\n\nNor is an API client's own token (see the README's \"Workloads that call the API\"): a projected token without an\naudience, or with one outside `allowed-audiences`, mounted at `/var/run/secrets/kubernetes.io/serviceaccount`,\nwhere the Kubernetes client libraries read their token, in a workload judged an API client from evidence. That is\nthe bounded token a controller mounts in place of the automounted one (the API server is its audience, and another\nwould break it). Mounted there in a workload with no such evidence, the finding says how to mark it a client.\n\nA volume whose name starts with `kube-api-access-` is not judged here: it is the volume the API server adds at\nadmission for the automounted token, without an audience by design, and appears in manifests exported from a\ncluster. The ServiceAccount admission plugin takes any volume so named as the automounted token, so it is\n`automount-token`'s business.",
    "rationale": "Audiences keep a token from being replayed elsewhere: a token minted for Vault or for an internal service\nshould be refused by the Kubernetes API and by every other service. Without an audience, whichever service\nreceives the token (and whoever can read its logs or compromise it) can turn around and call the Kubernetes\nAPI as the pod. An allow-list of audiences also catches typos and tokens aimed at unexpected third parties.",
    "remediation": "Set `audience` to the identifier of the service that validates the token (for example `vault`, or\n`sts.amazonaws.com`), and make that service require it. If the pod calls the Kubernetes API with it, mount it\nat `/var/run/secrets/kubernetes.io/serviceaccount` with a bounded `expirationSeconds`, on a dedicated\nServiceAccount whose binding (or the annotation `kube-token-guard.io/api-client`) shows it is an API client.\nThere is no automatic fix, since the right audience depends on the receiving service.",
    "options": {
      "allowed-audiences": {
        "type": "array",
        "items": {
          "type": "string"
        },
        "default": [],
        "description": "Audiences a projected token may name. When non-empty, a missing audience or one outside this list fires with severity medium."
      }
    },
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: invoice-renderer\n  template:\n    metadata:\n      labels:\n        app: invoice-renderer\n    spec:\n      serviceAccountName: invoice-renderer\n      containers:\n        - name: renderer\n          image: registry.example.com/invoice-renderer:5.0.3\n          volumeMounts:\n            - name: vault-token\n              mountPath: /var/run/secrets/vault\n              readOnly: true\n      volumes:\n        - name: vault-token\n          projected:\n            sources:\n              - serviceAccountToken:\n                  path: token\n                  expirationSeconds: 3600\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: invoice-renderer\n  template:\n    metadata:\n      labels:\n        app: invoice-renderer\n    spec:\n      serviceAccountName: invoice-renderer\n      containers:\n        - name: renderer\n          image: registry.example.com/invoice-renderer:5.0.3\n          volumeMounts:\n            - name: vault-token\n              mountPath: /var/run/secrets/vault\n              readOnly: true\n      volumes:\n        - name: vault-token\n          projected:\n            sources:\n              - serviceAccountToken:\n                  path: token\n                  audience: vault\n                  expirationSeconds: 3600\n"
    },
    "references": [
      {
        "title": "Projected Volumes (serviceAccountToken)",
        "url": "https://kubernetes.io/docs/concepts/storage/projected-volumes/"
      },
      {
        "title": "Managing Service Accounts (bound service account token volume, `kube-api-access-*`)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume"
      },
      {
        "title": "TokenRequest v1 API reference (audiences)",
        "url": "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/"
      }
    ]
  },
  "projected-token-expiration": {
    "id": "projected-token-expiration",
    "title": "Projected token lives too long or too short",
    "severity": "medium",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags projected `serviceAccountToken` sources whose `expirationSeconds` is above the configured maximum or below the API's minimum of 600.",
    "description": "Looks at every `serviceAccountToken` source of every `projected` volume in a pod spec and fires when its\n`expirationSeconds`:\n\n- is greater than `max-expiration-seconds` (3600 by default); or\n- is less than 600, which the API server rejects, so the workload would fail to be created.\n\nWhen `expirationSeconds` is absent the API server uses 3600; the rule then fires only if\n`max-expiration-seconds` is set lower than 3600. It does not fire for values between 600 and the maximum,\ninclusive.\n\nA volume whose name starts with `kube-api-access-` is not judged here. It is the volume the API server adds at\nadmission for the automounted token (its `expirationSeconds: 3607` is Kubernetes' own) and appears in manifests\nexported from a cluster; the ServiceAccount admission plugin takes any volume so named as the automounted\ntoken. Whether that token should be there is `automount-token`'s business, so no finding and no edit here.",
    "rationale": "A projected token is bound to its pod and is invalidated when the pod is deleted, but until then it is\naccepted for its whole lifetime wherever it is presented. A token copied out of a running pod with a\nlifetime of a day or more gives an attacker a long window, and it stays useful even after the vulnerability\nthat leaked it is patched, as long as the pod keeps running. The kubelet refreshes the file well before\nexpiry, so a short lifetime costs nothing for applications that re-read the token.",
    "remediation": "Set `expirationSeconds` to a value between 600 and the configured maximum, and make sure the application\nre-reads the token file instead of caching it at start-up. The automatic fix sets `expirationSeconds` to the\nconfigured maximum (adding the field when it is absent and the maximum is below the default of 3600).",
    "options": {
      "max-expiration-seconds": {
        "type": "integer",
        "minimum": 600,
        "default": 3600,
        "description": "Longest token lifetime accepted, in seconds."
      }
    },
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: invoice-renderer\n  template:\n    metadata:\n      labels:\n        app: invoice-renderer\n    spec:\n      serviceAccountName: invoice-renderer\n      containers:\n        - name: renderer\n          image: registry.example.com/invoice-renderer:5.0.3\n          volumeMounts:\n            - name: vault-token\n              mountPath: /var/run/secrets/vault\n              readOnly: true\n      volumes:\n        - name: vault-token\n          projected:\n            sources:\n              - serviceAccountToken:\n                  path: token\n                  audience: vault\n                  expirationSeconds: 86400\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: invoice-renderer\n  namespace: billing\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: invoice-renderer\n  template:\n    metadata:\n      labels:\n        app: invoice-renderer\n    spec:\n      serviceAccountName: invoice-renderer\n      containers:\n        - name: renderer\n          image: registry.example.com/invoice-renderer:5.0.3\n          volumeMounts:\n            - name: vault-token\n              mountPath: /var/run/secrets/vault\n              readOnly: true\n      volumes:\n        - name: vault-token\n          projected:\n            sources:\n              - serviceAccountToken:\n                  path: token\n                  audience: vault\n                  expirationSeconds: 3600\n"
    },
    "references": [
      {
        "title": "Projected Volumes (serviceAccountToken)",
        "url": "https://kubernetes.io/docs/concepts/storage/projected-volumes/"
      },
      {
        "title": "Configure Service Accounts for Pods (ServiceAccount token volume projection)",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      },
      {
        "title": "Managing Service Accounts (bound service account token volume, `kube-api-access-*`)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume"
      }
    ]
  },
  "sa-privileged-rbac": {
    "id": "sa-privileged-rbac",
    "title": "ServiceAccount is bound to privileged RBAC",
    "severity": "high",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags bindings that give a ServiceAccount a role able to read Secrets, run code in other pods, mint tokens or widen its own access.",
    "description": "Fires once per ServiceAccount subject of a RoleBinding or ClusterRoleBinding (a `ServiceAccount` subject, or\na `User` named `system:serviceaccount:<namespace>:<name>`) when the bound role is privileged. A role is\nprivileged when:\n\n- it is a ClusterRole whose name is in `privileged-roles` (by default `cluster-admin`, `admin` and `edit`),\n  whether or not its definition is in the scanned set; or\n- its definition (a Role in the binding's namespace, or a ClusterRole) is in the scanned set and **any** of\n  its rules, not only the first:\n  - has `*` in `verbs`, `resources` or `apiGroups`;\n  - lets it read every Secret: `get` on `secrets` for any name, or `list`/`watch` of the whole collection;\n  - lets it read named Secrets (`resourceNames`) of which one is, in the scanned set, a long-lived token\n    Secret (type `kubernetes.io/service-account-token`) where the binding applies;\n  - grants `create` on `pods`;\n  - grants any verb on `pods/exec`, `pods/attach` or `pods/portforward`, named pods included (code run in a\n    pod runs as its ServiceAccount, with its Secrets);\n  - grants `create` on `serviceaccounts/token`, or on named accounts of which one holds privileged RBAC in the\n    scanned set (through another binding) or is set up for cloud workload identity;\n  - grants the verbs `impersonate` or `escalate` on anything, named objects included (whose power a named user\n    or group holds is not in the manifests), or `bind` on any role, or on a named role that is privileged\n    (in `privileged-roles`, or declared with rules that are);\n  - grants any verb on `nodes/proxy`.\n\n  The resource checks apply to rules whose `apiGroups` include the core group (`\"\"`) or `*`; a rule without\n  `apiGroups` is read as the core group. A resource `*/<subresource>` (such as `*/exec`) matches that\n  subresource of every resource, as the authorizer reads it; `pods/*` is not a pattern to the authorizer and\n  matches no request.\n\n**`resourceNames`** are read as the RBAC authorizer matches requests. A request for one object carries its name\n(`get`, `update`, `patch`, `delete`; `list` and `watch` with a `metadata.name` field selector; a subresource\nsuch as `pods/exec` or `serviceaccounts/token`, whose URL names its object) and must name one of them. A\nrequest that names no object (an object-level `create`, `list` or `watch` of the whole collection,\n`deletecollection`) matches only an empty entry `\"\"`. So a rule with `resourceNames` is access to the named\nobjects only, judged as what they are above, and grants no object-level `create` at all (`pods` `create`\nwith `resourceNames` creates nothing); with `\"\"` among them it also grants the requests that name no object.\nNamed Secrets and accounts are looked up in the binding's namespace, or in every namespace for a\nClusterRoleBinding; one the scanned set does not declare is not counted.\n\nThe message names the binding, the role and every reason found. Severity is `high`, raised to `critical` when\nthe grant is equivalent to cluster-admin (the built-in `cluster-admin`, or a role with one rule that has `*`\nin verbs, resources and apiGroups at once and no `resourceNames`) **and** is made through a\nClusterRoleBinding, so it applies in every namespace. The same role granted by a RoleBinding stays `high`.\n\nRoles that are referenced but neither in the scanned set nor named in `privileged-roles` are not judged.\nGroup subjects are not reported here; grants to catch-all groups are reported by `default-sa-rbac`.",
    "rationale": "A ServiceAccount's token is only as dangerous as its RBAC. Reading Secrets exposes every credential in the\nnamespace, including other accounts' tokens; creating pods or exec-ing into them runs arbitrary code with\nother identities; creating tokens, impersonating, binding or escalating lets the holder give itself more\nrights; `nodes/proxy` reaches the kubelet API. Once such a token leaks from a pod, the attacker usually owns\nthe namespace, and with a cluster-wide admin grant the whole cluster.",
    "remediation": "Replace the broad role with a Role that lists only the resources, verbs and, where possible, `resourceNames`\nthe workload needs, bound with a RoleBinding in its own namespace rather than a ClusterRoleBinding. Pods\nusing the account should also not mount its token unless they need it (see `automount-token`).\n\nControllers and operators that legitimately need such rights (a secrets operator, a CI deployer) can be\nexempted with `kube-token-guard.io/ignore: \"sa-privileged-rbac: <reason>\"` on the binding, or a config\nexemption with a reason; keep such accounts few and their pods isolated.",
    "options": {
      "privileged-roles": {
        "type": "array",
        "items": {
          "type": "string"
        },
        "default": [
          "cluster-admin",
          "admin",
          "edit"
        ],
        "description": "ClusterRole names treated as privileged by name, even when their definition is not in the scanned files."
      }
    },
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: config-loader\n  namespace: payments\nautomountServiceAccountToken: false\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: config-loader\n  namespace: payments\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"list\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: config-loader\n  namespace: payments\nsubjects:\n  - kind: ServiceAccount\n    name: config-loader\n    namespace: payments\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: config-loader\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: config-loader\n  namespace: payments\nautomountServiceAccountToken: false\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: config-loader\n  namespace: payments\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"payments-api-tls\"]\n    verbs: [\"get\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: config-loader\n  namespace: payments\nsubjects:\n  - kind: ServiceAccount\n    name: config-loader\n    namespace: payments\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: config-loader\n"
    },
    "references": [
      {
        "title": "Role Based Access Control Good Practices (privilege escalation risks)",
        "url": "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks"
      },
      {
        "title": "Using RBAC Authorization (referring to resources, resourceNames)",
        "url": "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources"
      }
    ]
  },
  "shared-service-account": {
    "id": "shared-service-account",
    "title": "ServiceAccount is shared by several workloads",
    "severity": "low",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags workloads that run as a non-default ServiceAccount also used by another workload in the same namespace.",
    "description": "Groups the workloads of each namespace by the ServiceAccount they run as (`serviceAccountName`, else the\ndeprecated `serviceAccount`) and fires when one account is used by more than one distinct workload, counting\nworkloads by kind and name (a Deployment and a CronJob with the same name are two workloads). The finding is\nreported on each of the workloads, and its message names the others.\n\nIt does not fire for the `default` ServiceAccount, which `default-service-account` covers, or for an account\nused by exactly one workload. The ServiceAccount does not have to be declared in the scanned set.",
    "rationale": "A ServiceAccount is the unit RBAC and cloud identity are granted to. When several workloads share one, each\nof them holds the union of what all of them need, so a compromise of the least important one (a batch job, a\ndebug tool) yields the permissions of the most important one. Shared accounts also make audit logs ambiguous\nand make it impossible to revoke or rotate access for one application alone.",
    "remediation": "Give each workload its own ServiceAccount, with `automountServiceAccountToken: false` unless it needs the\nAPI, and bind to each one only the roles that workload needs. There is no automatic fix. When several\nworkloads are really one application (for example a server and its migration Job from the same release) and\nmust share an identity, suppress it with `kube-token-guard.io/ignore: \"shared-service-account: <reason>\"` or\na config exemption.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: storefront\n  namespace: storefront\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront-web\n  namespace: storefront\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: storefront-web\n  template:\n    metadata:\n      labels:\n        app: storefront-web\n    spec:\n      serviceAccountName: storefront\n      containers:\n        - name: web\n          image: registry.example.com/storefront-web:2.4.0\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: storefront-sitemap\n  namespace: storefront\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: storefront\n          restartPolicy: OnFailure\n          containers:\n            - name: sitemap\n              image: registry.example.com/storefront-sitemap:1.2.0\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: storefront-web\n  namespace: storefront\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: storefront-sitemap\n  namespace: storefront\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront-web\n  namespace: storefront\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: storefront-web\n  template:\n    metadata:\n      labels:\n        app: storefront-web\n    spec:\n      serviceAccountName: storefront-web\n      containers:\n        - name: web\n          image: registry.example.com/storefront-web:2.4.0\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: storefront-sitemap\n  namespace: storefront\nspec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: storefront-sitemap\n          restartPolicy: OnFailure\n          containers:\n            - name: sitemap\n              image: registry.example.com/storefront-sitemap:1.2.0\n"
    },
    "references": [
      {
        "title": "Role Based Access Control Good Practices (least privilege)",
        "url": "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
      },
      {
        "title": "Service Accounts",
        "url": "https://kubernetes.io/docs/concepts/security/service-accounts/"
      }
    ]
  },
  "static-cloud-credentials": {
    "id": "static-cloud-credentials",
    "title": "Static cloud credentials in environment variables or Secrets",
    "severity": "medium",
    "fixable": false,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags container environment variables and Secret keys that carry long-lived AWS, GCP or Azure credentials.",
    "description": "Fires for:\n\n- a container (including init and ephemeral containers) with an environment variable named\n  `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `GOOGLE_APPLICATION_CREDENTIALS`\n  (which points the Google client libraries at a service-account key file), `AWS_SHARED_CREDENTIALS_FILE`\n  (which points the AWS SDKs at a file of static keys, often mounted from a Secret), `AZURE_CLIENT_SECRET` or\n  `AZURE_CLIENT_CERTIFICATE_PASSWORD`, or any name listed in `extra-env-names`, whether the value is written\n  inline or comes from a Secret or ConfigMap;\n- an environment variable of any name whose inline `value` has the shape of an AWS access key id (`AKIA` or\n  `ASIA` followed by 16 upper-case letters or digits);\n- a Secret (`data` or `stringData`) with a key such as `aws_access_key_id`, `aws_secret_access_key`,\n  `aws_session_token`, `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PASSWORD` (compared without regard\n  to case, with `-` and `.` read as `_`), or a key whose value is a GCP service-account key (JSON with\n  `\"type\": \"service_account\"` and a `private_key`) or an AWS credentials file (`aws_secret_access_key = ...`).\n\nOnly the names of variables and keys appear in findings; values are never printed, in any output format.\nIt does not fire for other names, such as `AWS_REGION`, `AWS_ROLE_ARN` or `AZURE_CLIENT_ID`, which identify\nan account or role without granting access.",
    "rationale": "Static cloud keys do not expire on their own and work from anywhere. Anyone who can read the pod spec, the\nSecret, the environment of the process (a debug endpoint, a crash report) or a backup of the cluster can use\nthem until someone notices and rotates them, and the cloud audit trail shows the application, not the\nattacker. Cloud workload identity gives the same access with short-lived credentials tied to the pod's\nServiceAccount, with nothing to leak or rotate.",
    "remediation": "Move the workload to the cloud's workload identity: annotate a dedicated ServiceAccount with\n`eks.amazonaws.com/role-arn` (EKS), `iam.gke.io/gcp-service-account` (GKE) or\n`azure.workload.identity/client-id` (AKS), keep `automountServiceAccountToken: false` on it, remove the\nvariables and the Secret, and revoke the old keys. Outside those platforms, use a secrets manager that issues\nshort-lived credentials. There is no automatic fix. Where static keys are unavoidable for now (for example a\nthird-party system with no federation), record the exception with\n`kube-token-guard.io/ignore: \"static-cloud-credentials: <reason>\"` or a config exemption.",
    "options": {
      "extra-env-names": {
        "type": "array",
        "items": {
          "type": "string"
        },
        "default": [],
        "description": "More environment variable names to treat as static cloud credentials, for example an application's own `S3_SECRET_KEY`."
      }
    },
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: order-exporter\n  namespace: orders\nautomountServiceAccountToken: false\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: order-exporter\n  namespace: orders\nspec:\n  schedule: \"30 1 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: order-exporter\n          restartPolicy: OnFailure\n          containers:\n            - name: export\n              image: registry.example.com/order-exporter:4.2.0\n              env:\n                - name: AWS_REGION\n                  value: eu-west-1\n                - name: AWS_ACCESS_KEY_ID\n                  value: AKIAEXAMPLEEXAMPLE00\n                - name: AWS_SECRET_ACCESS_KEY\n                  valueFrom:\n                    secretKeyRef:\n                      name: order-exporter-aws\n                      key: secret-access-key\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: order-exporter\n  namespace: orders\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/order-exporter\nautomountServiceAccountToken: false\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: order-exporter\n  namespace: orders\nspec:\n  schedule: \"30 1 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: order-exporter\n          restartPolicy: OnFailure\n          containers:\n            - name: export\n              image: registry.example.com/order-exporter:4.2.0\n              env:\n                - name: AWS_REGION\n                  value: eu-west-1\n"
    },
    "references": [
      {
        "title": "IAM roles for service accounts (Amazon EKS)",
        "url": "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html"
      },
      {
        "title": "Workload Identity Federation for GKE",
        "url": "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity"
      },
      {
        "title": "Microsoft Entra Workload ID with AKS",
        "url": "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview"
      }
    ]
  },
  "workload-identity-automount": {
    "id": "workload-identity-automount",
    "title": "Cloud workload identity account still mounts the API token",
    "severity": "medium",
    "fixable": true,
    "presets": [
      "recommended",
      "strict"
    ],
    "summary": "Flags ServiceAccounts set up for cloud workload identity that do not turn off Kubernetes API token automounting.",
    "description": "Fires for each ServiceAccount that carries one of these annotations:\n\n- `eks.amazonaws.com/role-arn` (EKS IAM Roles for Service Accounts);\n- `iam.gke.io/gcp-service-account` (GKE Workload Identity);\n- `azure.workload.identity/client-id` (Azure AD Workload Identity);\n\nand that does not set `automountServiceAccountToken` (YAML 1.1 `no`/`off` count as `false`).\n\nIt does not fire when the ServiceAccount says `false`, nor when it says `true`: on a dedicated account that is\nexplicit consent, the evidence of a workload that calls the Kubernetes API (cert-manager and the\ncluster-autoscaler set it for EKS), and switching it off would break that workload. A pod-level `true` on a\nworkload using the account is judged by `automount-token` as an explicit opt-in.",
    "rationale": "Workload identity exists so that pods reach cloud APIs without static keys. The cloud integrations get\ntheir credential from their own mechanism (a projected token with a cloud audience injected by a webhook, or\nthe metadata server), not from the regular Kubernetes API token. Leaving automount on therefore adds a\nsecond, unrelated credential to pods that are often among the most sensitive in the cluster, and a leak of\nit lets an attacker act in the cluster as well as in the cloud account.",
    "remediation": "Add `automountServiceAccountToken: false` at the top level of the ServiceAccount. The automatic fix adds the\nfield. Cloud credentials keep working: the EKS, GKE and Azure\nintegrations do not rely on the automatically mounted API token. If a pod using the account also needs the\nKubernetes API, opt in with `automountServiceAccountToken: true` in that pod's spec.\n\nWhen the account is a binding subject, or a workload running as it is an API client (see `automount-token`),\nthe cloud identity does not replace its Kubernetes token: the finding is `info`, names the evidence, and its fix\nwrites `automountServiceAccountToken: true` on the ServiceAccount.",
    "options": {},
    "examples": {
      "insecure": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: order-exporter\n  namespace: orders\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/order-exporter\n",
      "hardened": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: order-exporter\n  namespace: orders\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/order-exporter\nautomountServiceAccountToken: false\n"
    },
    "references": [
      {
        "title": "IAM roles for service accounts (Amazon EKS)",
        "url": "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html"
      },
      {
        "title": "Workload Identity Federation for GKE",
        "url": "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity"
      },
      {
        "title": "Microsoft Entra Workload ID with AKS",
        "url": "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview"
      },
      {
        "title": "Configure Service Accounts for Pods",
        "url": "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
      }
    ]
  }
};
