export const TOOL_NAME = 'kube-token-guard';
export const TOOL_VERSION = '0.1.0';
export const PROJECT_URL = 'https://github.com/kube-token-guard/kube-token-guard';
export const RULE_DOCS_URL = `${PROJECT_URL}/blob/main/docs/rules`;
