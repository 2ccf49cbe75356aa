// Parses a Terraform directory with an HCL parser (@cdktf/hcl2json) and checks the alert
// sink's deployment rules: a Function URL that works the first time, a least-privilege role,
// a bounded concurrency.
//
//   node check-terraform.mjs DIR [DIR...]
//
// For each directory it prints "# DIR", then one line per check, "ok   NAME" or
// "FAIL NAME: why", and at the end "N passed, N failed" over all directories.
// Exit status: 0 when every check passed, 1 when one failed, 2 when a directory could not be
// read or parsed. The Maven module examples/deploy runs it (TerraformPolicyTest).

import { convertFiles } from "@cdktf/hcl2json";

/** The checks, in order; each returns null when satisfied, or why not. */
const CHECKS = [
  ["provider-supports-invoked-via-function-url", providerSupportsInvokedViaFunctionUrl],
  ["function-url-auth-none", functionUrlAuthNone],
  ["url-permission-invoke-function-url", urlPermissionInvokeFunctionUrl],
  ["url-permission-invoke-function", urlPermissionInvokeFunction],
  ["no-public-invoke-outside-url", noPublicInvokeOutsideUrl],
  ["role-has-no-managed-policies", roleHasNoManagedPolicies],
  ["role-policies-are-policy-documents", rolePoliciesArePolicyDocuments],
  ["no-create-log-group", noCreateLogGroup],
  ["logs-scoped-to-own-log-group", logsScopedToOwnLogGroup],
  ["log-group-with-retention", logGroupWithRetention],
  ["log-group-kms-optional", logGroupKmsOptional],
  ["ssm-read-limited-to-named-parameters", ssmReadLimitedToNamedParameters],
  ["kms-decrypt-only-for-customer-key", kmsDecryptOnlyForCustomerKey],
  ["no-wildcard-in-role-policies", noWildcardInRolePolicies],
  ["reserved-concurrency-wired", reservedConcurrencyWired],
  ["function-waits-for-role-policies", functionWaitsForRolePolicies],
];

// ---- the checks -------------------------------------------------------------------------

function providerSupportsInvokedViaFunctionUrl(tf) {
  const aws = tf.terraform.flatMap((t) => t.required_providers ?? []).map((p) => p.aws).find(Boolean);
  if (!aws) return "no required_providers.aws";
  if (aws.source !== "hashicorp/aws") return `aws provider source is ${aws.source}`;
  const lower = lowerBound(aws.version ?? "");
  if (!lower) return `aws provider version "${aws.version}" has no lower bound (>= or ~>)`;
  if (compareVersions(lower, [6, 28]) < 0) {
    return `aws provider version "${aws.version}" allows releases before 6.28, which lack invoked_via_function_url`;
  }
  return null;
}

function functionUrlAuthNone(tf) {
  const urls = blocks(tf.resource, "aws_lambda_function_url");
  if (urls.length !== 1) return `expected one aws_lambda_function_url, found ${urls.length}`;
  const [, url] = urls[0];
  if (url.function_name !== ref("aws_lambda_function", sinkFunctionName(tf), "function_name")) {
    return `the Function URL is for ${url.function_name}, not the sink function`;
  }
  if (url.authorization_type !== "NONE") return `authorization_type is ${url.authorization_type}, not NONE`;
  return null;
}

function urlPermissionInvokeFunctionUrl(tf) {
  const found = sinkPermissions(tf).filter(([, p]) => p.action === "lambda:InvokeFunctionUrl");
  if (found.length === 0) return "no aws_lambda_permission with action lambda:InvokeFunctionUrl for the sink";
  for (const [name, p] of found) {
    if (p.principal !== "*") return `${name}: principal is ${p.principal}, not "*"`;
    if (p.function_url_auth_type !== "NONE") {
      return `${name}: function_url_auth_type is ${p.function_url_auth_type ?? "unset"}, not NONE`;
    }
  }
  return null;
}

function urlPermissionInvokeFunction(tf) {
  const found = sinkPermissions(tf).filter(([, p]) => p.action === "lambda:InvokeFunction");
  if (found.length === 0) {
    return "no aws_lambda_permission with action lambda:InvokeFunction for the sink: a Function URL with auth NONE answers 403 without it";
  }
  for (const [name, p] of found) {
    if (p.principal !== "*") return `${name}: principal is ${p.principal}, not "*"`;
    if (p.invoked_via_function_url !== true) {
      return `${name}: invoked_via_function_url is ${p.invoked_via_function_url ?? "unset"}, not true (the condition lambda:InvokedViaFunctionUrl = true)`;
    }
  }
  return null;
}

function noPublicInvokeOutsideUrl(tf) {
  for (const [name, p] of blocks(tf.resource, "aws_lambda_permission")) {
    const isPublic = p.principal === "*" || p.principal === undefined;
    if (!isPublic) continue;
    if (p.action === "lambda:InvokeFunctionUrl" && p.function_url_auth_type === "NONE") continue;
    if (p.action === "lambda:InvokeFunction" && p.invoked_via_function_url === true) continue;
    return `${name}: ${p.action} for principal "*" outside the Function URL`;
  }
  return null;
}

function roleHasNoManagedPolicies(tf) {
  const attachments = [
    ...blocks(tf.resource, "aws_iam_role_policy_attachment"),
    ...blocks(tf.resource, "aws_iam_role_policy_attachments_exclusive"),
    ...blocks(tf.resource, "aws_iam_policy_attachment"),
  ];
  if (attachments.length > 0) {
    return `managed policies attached (${attachments.map(([n, a]) => `${n}: ${a.policy_arn ?? a.policy_arns}`).join(", ")}): AWSLambdaBasicExecutionRole allows logs:CreateLogGroup on every log group`;
  }
  for (const [name, role] of blocks(tf.resource, "aws_iam_role")) {
    if (role.managed_policy_arns !== undefined) return `${name}: managed_policy_arns set`;
    if (role.inline_policy !== undefined) return `${name}: inline_policy blocks bypass the checked policy documents`;
  }
  return null;
}

function rolePoliciesArePolicyDocuments(tf) {
  const policies = blocks(tf.resource, "aws_iam_role_policy");
  if (policies.length === 0) return "the role has no aws_iam_role_policy";
  for (const [name, p] of policies) {
    const doc = policyDocumentOf(tf, p.policy);
    if (!doc) {
      return `${name}: policy is ${short(p.policy)}, not data.aws_iam_policy_document.<name>.json, so it cannot be checked`;
    }
  }
  return null;
}

function noCreateLogGroup(tf) {
  const basic = blocks(tf.resource, "aws_iam_role_policy_attachment")
    .find(([, a]) => /AWSLambda(Basic|VPCAccess)ExecutionRole/.test(a.policy_arn ?? ""));
  if (basic) return `aws_iam_role_policy_attachment.${basic[0]}: ${basic[1].policy_arn} allows logs:CreateLogGroup on "*"`;
  for (const s of roleStatements(tf)) {
    const hit = s.actions.find((a) => actionCovers(a, "logs:CreateLogGroup"));
    if (hit) return `${s.where}: action ${hit} allows logs:CreateLogGroup (Terraform creates the log group)`;
  }
  return null;
}

function logsScopedToOwnLogGroup(tf) {
  const group = sinkLogGroupName(tf);
  if (!group) return "the function has no logging_config.log_group naming an aws_cloudwatch_log_group";
  const arn = ref("aws_cloudwatch_log_group", group, "arn");
  const allowedResources = new Set([`${arn}:*`, `${arn}:log-stream:*`]);
  const allowedActions = new Set(["logs:CreateLogStream", "logs:PutLogEvents"]);
  const logStatements = roleStatements(tf).filter((s) => s.actions.some((a) => a.startsWith("logs:") || a === "*"));
  if (logStatements.length === 0) return "no statement lets the role write logs: the function would log nothing";
  const granted = new Set();
  for (const s of logStatements) {
    for (const a of s.actions) {
      if (!allowedActions.has(a)) return `${s.where}: action ${a}; only logs:CreateLogStream and logs:PutLogEvents`;
      granted.add(a);
    }
    if (!Array.isArray(s.resources) || s.resources.length === 0) {
      return `${s.where}: resources ${short(s.resources)}, not the log group's ARN`;
    }
    for (const r of s.resources) {
      if (!allowedResources.has(r)) return `${s.where}: resource ${r}; only ${[...allowedResources].join(" or ")}`;
    }
  }
  for (const a of allowedActions) if (!granted.has(a)) return `no statement grants ${a} on the log group`;
  return null;
}

function logGroupWithRetention(tf) {
  const group = sinkLogGroupName(tf);
  if (!group) return "the function has no logging_config.log_group naming an aws_cloudwatch_log_group";
  const lg = one(tf.resource, "aws_cloudwatch_log_group", group);
  if (!lg) return `aws_cloudwatch_log_group.${group} is not defined`;
  const retention = resolve(tf, lg.retention_in_days);
  if (retention === undefined || retention === null || retention === 0) {
    return `aws_cloudwatch_log_group.${group}: no retention_in_days (logs would be kept forever)`;
  }
  return null;
}

function logGroupKmsOptional(tf) {
  const group = sinkLogGroupName(tf);
  const lg = group && one(tf.resource, "aws_cloudwatch_log_group", group);
  if (!lg) return "no log group for the function";
  if (lg.kms_key_id === undefined) return `aws_cloudwatch_log_group.${group}: no kms_key_id, so no way to encrypt it with a KMS key`;
  const keyExpr = expand(tf, lg.kms_key_id);
  const keyVars = variablesIn(keyExpr);
  if (keyVars.length === 0) return `aws_cloudwatch_log_group.${group}: kms_key_id ${short(lg.kms_key_id)} is not chosen by a variable`;
  for (const v of keyVars) {
    const variable = one(tf, "variable", v);
    if (!variable) return `kms_key_id uses var.${v}, which is not declared`;
    if (variable.default !== null && variable.default !== false) {
      return `var.${v} defaults to ${JSON.stringify(variable.default)}: KMS must be off unless asked for`;
    }
  }
  for (const [name, key] of blocks(tf.resource, "aws_kms_key")) {
    if (!/\?\s*1\s*:\s*0/.test(key.count ?? "") || variablesIn(key.count).length === 0) {
      return `aws_kms_key.${name}: created unconditionally (count ${short(key.count)}), not only when a variable asks for it`;
    }
    const doc = policyDocumentOf(tf, key.policy);
    if (!doc) return `aws_kms_key.${name}: policy is not a checked aws_iam_policy_document`;
    const forLogs = statementsOf(doc, `data.aws_iam_policy_document.${doc.name}`).find((s) =>
      (s.principals ?? []).some((p) => p.type === "Service" && (p.identifiers ?? []).some((i) => /^logs\..*amazonaws\.com$/.test(i))));
    if (!forLogs) return `aws_kms_key.${name}: its key policy does not let CloudWatch Logs (logs.<region>.amazonaws.com) use it`;
    const scoped = (forLogs.conditions ?? []).some((c) => c.variable === "kms:EncryptionContext:aws:logs:arn");
    if (!scoped) return `aws_kms_key.${name}: CloudWatch Logs may use it for any log group (no kms:EncryptionContext:aws:logs:arn condition)`;
  }
  return null;
}

function ssmReadLimitedToNamedParameters(tf) {
  const ssm = roleStatements(tf).filter((s) => s.actions.some((a) => a.startsWith("ssm:")));
  if (ssm.length === 0) return "no statement lets the role read its SSM parameters";
  for (const s of ssm) {
    for (const a of s.actions) {
      if (a !== "ssm:GetParameters" && a !== "ssm:GetParameter") return `${s.where}: action ${a}; only ssm:GetParameters`;
    }
    const text = expand(tf, s.resources);
    if (text.includes("*")) return `${s.where}: resources ${short(s.resources)} contain a wildcard`;
    if (!text.includes(":parameter")) return `${s.where}: resources ${short(s.resources)} are not parameter ARNs`;
    const fromVariables = variablesIn(text).filter((v) => v.endsWith("_parameter"));
    if (fromVariables.length === 0) return `${s.where}: resources are not built from the *_parameter variables`;
  }
  return null;
}

function kmsDecryptOnlyForCustomerKey(tf) {
  for (const s of roleStatements(tf)) {
    if (!s.actions.some((a) => a.startsWith("kms:") || a === "*")) continue;
    for (const a of s.actions) if (a !== "kms:Decrypt") return `${s.where}: action ${a}; only kms:Decrypt`;
    if (!s.forEach || !/==\s*null\s*\?\s*\[\]/.test(s.forEach)) {
      return `${s.where}: kms:Decrypt is granted even without a customer managed key (not a dynamic statement on "var == null ? [] : [...]")`;
    }
    if ((s.resources ?? []).some((r) => r.includes("*"))) return `${s.where}: kms:Decrypt on ${short(s.resources)}`;
    if (!(s.conditions ?? []).some((c) => c.variable === "kms:ViaService")) {
      return `${s.where}: kms:Decrypt without a kms:ViaService condition (usable outside SSM)`;
    }
  }
  return null;
}

function noWildcardInRolePolicies(tf) {
  for (const s of roleStatements(tf)) {
    const action = s.actions.find((a) => a === "*" || a.endsWith(":*"));
    if (action) return `${s.where}: action ${action}`;
    const list = Array.isArray(s.resources) ? s.resources : [s.resources];
    const wild = list.find((r) => typeof r !== "string" || r === "*" || /^arn:[^:]*:[^:]*:\*/.test(r) || /:\*:\*/.test(r));
    if (wild !== undefined) return `${s.where}: resource ${short(wild)}`;
    if (/\\?"\*\\?"/.test(expand(tf, s.resources))) return `${s.where}: resources ${short(s.resources)} are built from "*"`;
  }
  return null;
}

function reservedConcurrencyWired(tf) {
  const fn = one(tf.resource, "aws_lambda_function", sinkFunctionName(tf));
  if (!fn) return "no sink aws_lambda_function";
  const value = fn.reserved_concurrent_executions;
  const m = typeof value === "string" && /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(value);
  if (!m) return `reserved_concurrent_executions is ${short(value)}, not a variable`;
  const variable = one(tf, "variable", m[1]);
  if (!variable) return `reserved_concurrent_executions uses var.${m[1]}, which is not declared`;
  if (typeof variable.default !== "number" || variable.default < 1) {
    return `var.${m[1]} defaults to ${JSON.stringify(variable.default)}: a bounded default (at least 1) is expected`;
  }
  if (!variable.validation || variable.validation.length === 0) {
    return `var.${m[1]} has no validation (0 would stop every invocation)`;
  }
  return null;
}

function functionWaitsForRolePolicies(tf) {
  const fn = one(tf.resource, "aws_lambda_function", sinkFunctionName(tf));
  if (!fn) return "no sink aws_lambda_function";
  const dependsOn = new Set(fn.depends_on ?? []);
  for (const [name] of blocks(tf.resource, "aws_iam_role_policy")) {
    if (!dependsOn.has(`\${aws_iam_role_policy.${name}}`)) {
      return `the function does not depend on aws_iam_role_policy.${name}: its first cold start may run before the policy exists`;
    }
  }
  return null;
}

// ---- reading the parsed configuration ---------------------------------------------------

/** [name, body] of every block of a type, e.g. blocks(tf.resource, "aws_lambda_permission"). */
function blocks(section, type) {
  const byName = section?.[type] ?? {};
  return Object.entries(byName).flatMap(([name, bodies]) => bodies.map((body) => [name, body]));
}

function one(section, type, name) {
  return section?.[type]?.[name]?.[0];
}

function ref(type, name, attribute) {
  return `\${${type}.${name}.${attribute}}`;
}

/** The sink's aws_lambda_function: "alert_sink", or the only function there is. */
function sinkFunctionName(tf) {
  const names = Object.keys(tf.resource?.aws_lambda_function ?? {});
  if (names.includes("alert_sink")) return "alert_sink";
  return names.length === 1 ? names[0] : undefined;
}

function sinkPermissions(tf) {
  const target = ref("aws_lambda_function", sinkFunctionName(tf), "function_name");
  return blocks(tf.resource, "aws_lambda_permission").filter(([, p]) => p.function_name === target);
}

function sinkLogGroupName(tf) {
  const fn = one(tf.resource, "aws_lambda_function", sinkFunctionName(tf));
  const logGroup = fn?.logging_config?.[0]?.log_group;
  const m = typeof logGroup === "string" && /^\$\{aws_cloudwatch_log_group\.([A-Za-z0-9_]+)\.name\}$/.exec(logGroup);
  return m ? m[1] : undefined;
}

/** The data.aws_iam_policy_document a "${data.aws_iam_policy_document.X.json}" names. */
function policyDocumentOf(tf, expression) {
  const m = typeof expression === "string"
    && /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_]+)(\[0\])?\.json\}$/.exec(expression);
  if (!m) return undefined;
  const doc = one(tf.data, "aws_iam_policy_document", m[1]);
  return doc ? { ...doc, name: m[1] } : undefined;
}

/** Static statements and dynamic "statement" blocks (with their for_each) of a policy document. */
function statementsOf(doc, where) {
  // not_actions / not_resources grant everything but a list: counted as "*".
  const normalise = (s, forEach, label) => ({
    where: `${where} ${label}`,
    effect: s.effect ?? "Allow",
    actions: s.not_actions !== undefined ? ["*"] : Array.isArray(s.actions) ? s.actions : [String(s.actions ?? "")],
    resources: s.not_resources !== undefined ? ["*"] : s.resources,
    principals: s.principals,
    conditions: s.condition,
    forEach,
  });
  const fixed = (doc.statement ?? []).map((s, i) => normalise(s, undefined, s.sid ?? `statement ${i}`));
  const dynamic = (doc.dynamic?.statement ?? []).flatMap((d, i) =>
    (d.content ?? []).map((s) => normalise(s, d.for_each, s.sid ?? `dynamic statement ${i}`)));
  return [...fixed, ...dynamic];
}

/** Every Allow statement of every policy attached to the execution role. */
function roleStatements(tf) {
  return blocks(tf.resource, "aws_iam_role_policy").flatMap(([name, p]) => {
    const doc = policyDocumentOf(tf, p.policy);
    if (!doc) return [{ where: `aws_iam_role_policy.${name}`, actions: ["*"], resources: ["*"] }];
    return statementsOf(doc, `aws_iam_role_policy.${name} (data.aws_iam_policy_document.${doc.name})`)
      .filter((s) => s.effect !== "Deny");
  });
}

/**
 * The value as text, followed by every local it uses, directly or through other locals
 * ("local.x = ..."), so that a check sees what the value is built of.
 */
function expand(tf, value) {
  const locals = Object.assign({}, ...(tf.locals ?? []));
  const text = JSON.stringify(value ?? null);
  const seen = new Set();
  const pending = [text];
  const parts = [text];
  while (pending.length > 0) {
    for (const m of pending.pop().matchAll(/local\.([A-Za-z0-9_]+)/g)) {
      if (seen.has(m[1]) || !(m[1] in locals)) continue;
      seen.add(m[1]);
      const definition = JSON.stringify(locals[m[1]]);
      parts.push(`local.${m[1]} = ${definition}`);
      pending.push(definition);
    }
  }
  return parts.join("\n");
}

/** A literal, or a variable's default when the value is exactly "${var.x}". */
function resolve(tf, value) {
  const m = typeof value === "string" && /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(value);
  return m ? one(tf, "variable", m[1])?.default : value;
}

function variablesIn(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return [...new Set([...text.matchAll(/var\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];
}

/** Whether an IAM action pattern (with * wildcards) covers a concrete action. */
function actionCovers(pattern, action) {
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "i");
  return re.test(action);
}

function escapeRegExp(s) {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** The highest lower bound of a version constraint ("~> 6.28", ">= 6.28, < 7.0"), or undefined. */
function lowerBound(constraint) {
  const bounds = constraint.split(",")
    .map((c) => /^(>=|~>|=|>)?\s*v?(\d+(?:\.\d+)*)$/.exec(c.trim()))
    .filter((m) => m !== null)
    .map((m) => m[2].split(".").map(Number));
  return bounds.sort(compareVersions).at(-1);
}

function compareVersions(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function short(value) {
  const text = JSON.stringify(value) ?? "unset";
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ---- main -------------------------------------------------------------------------------

async function main(dirs) {
  if (dirs.length === 0) {
    console.error("usage: node check-terraform.mjs DIR [DIR...]");
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const dir of dirs) {
    console.log(`# ${dir}`);
    let tf;
    try {
      tf = await convertFiles(dir);
    } catch (e) {
      console.log(`ERROR ${dir}: ${e.message ?? e}`);
      return 2;
    }
    tf.terraform ??= [];
    tf.resource ??= {};
    tf.data ??= {};
    for (const [name, check] of CHECKS) {
      let why;
      try {
        why = check(tf);
      } catch (e) {
        why = `the check itself failed: ${e.message ?? e}`;
      }
      if (why === null) {
        passed++;
        console.log(`ok   ${name}`);
      } else {
        failed++;
        console.log(`FAIL ${name}: ${why}`);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
