// The rows of the `bulwark` command table; see command.h.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/examples/cli/command.h"

namespace bulwark::cli {

const std::vector<Command>& Commands() {
  static const auto* const kCommands = new std::vector<Command>{
      {
          .name = "attest sign",
          .summary = "Attest an image of an OCI layout with a key, as cosign attest does",
          .usage = R"(usage: bulwark attest sign LAYOUT --key PRIVATE.pem --predicate FILE
                    [--type TYPE] [--subject-name NAME] [--ref R]

Wraps the predicate in FILE (JSON) in an in-toto Statement v1 whose subject is the image's
digest, signs it as a DSSE envelope with the private key (an encrypted key reads its password
from $BULWARK_KEY_PASSWORD) and stores it under the image's `sha256-<hex>.att` tag, as
`cosign attest --key` does.

Flags:
  --key FILE                 Private key (ECDSA, RSA, Ed25519; PEM).
  --predicate FILE           The predicate (JSON).
  --type TYPE                Predicate type: a URI or cosign's short names (slsaprovenance,
                             slsaprovenance1, spdxjson, cyclonedx, vuln, openvex, custom, ...).
                             Default: custom.
  --subject-name NAME        The statement's subject name. Default: "".
  --ref R                    Tag or digest of the image in the layout.
)",
          .flags = {"key", "predicate", "type", "subject-name", "ref"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunAttestSign,
      },
      {
          .name = "attest verify",
          .summary = "Verify an image's in-toto attestations (cosign verify-attestation)",
          .usage =
              R"(usage: bulwark attest verify LAYOUT (--key PUBLIC.pem | --certificate-identity ID
                    --certificate-oidc-issuer URL [--trusted-root FILE]) [--type TYPE]
                    [--ref R] [--format text|json]

Finds the attestations of the image in the OCI layout LAYOUT (its `sha256-<hex>.att` tag, and
OCI 1.1 referrers holding DSSE envelopes or Sigstore bundles) and verifies each: envelope,
signature with the key or the certificate (chain, Rekor SET, identity, issuer; bundles fully
offline against the trusted root), in-toto statement, a subject whose digest is the image's,
and the predicate type. Exit 0 when at least one verifies; otherwise exit 2 with the reason for
each. --format json prints every attestation with its predicate and SLSA provenance fields
(builder id, build type, source, entry point, invocation).

Flags:
  --key FILE                            Public key (PEM or DER SubjectPublicKeyInfo).
  --certificate-identity ID             Keyless: a SAN (email, URI, otherName) equal to ID.
  --certificate-identity-regexp RE      Keyless: a SAN fully matching the RE2 regex RE.
  --certificate-oidc-issuer URL         Keyless: the Fulcio OIDC issuer (.1.8, else .1.1).
  --certificate-oidc-issuer-regexp RE   Keyless: the issuer fully matching RE.
  --trusted-root FILE                   trusted_root.json: Fulcio CAs and Rekor keys (keyless
                                        default: $BULWARK_TRUSTED_ROOT; never the network).
  --ca-roots FILE, --ca-intermediates FILE
                                        Keyless with your own PKI: PEM CA certificates.
  --rekor-key FILE                      Require a Rekor SET by this log key.
  --type TYPE                           Only this predicate type counts (URI or short name).
  --ref R                               Tag or digest of the image in the layout.
  --format text|json                    Output. Default: text.
)",
          .flags = {"key", "certificate-identity", "certificate-identity-regexp",
                    "certificate-oidc-issuer", "certificate-oidc-issuer-regexp", "trusted-root",
                    "ca-roots", "ca-intermediates", "rekor-key", "type", "ref", "format"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunAttestVerify,
      },
      {
          .name = "attest verify-gcb",
          .summary = "Verify Google Cloud Build provenance (gcloud --show-provenance JSON)",
          .usage = R"(usage: bulwark attest verify-gcb FILE --digest sha256:<hex>
                    [--gcb-key REGION=PUBLIC.pem] [--builder-id ID] [--format text|json]

Verifies every provenance occurrence in FILE (the JSON of `gcloud artifacts docker images
describe IMAGE --show-provenance --format json`, slsa-verifier's gcb_container input) for the
image digest: envelope, keyid (a builtByGCB key version), subject, builder, then the DSSE
signature with the region's Google Cloud KMS public key. Bulwark ships no Google keys: without
--gcb-key the verification stops, naming the key that is not available. Exit 0 when verified.

Flags:
  --digest D                 The image manifest digest the provenance must name.
  --gcb-key REGION=FILE      The builtByGCB public key (PEM) of REGION (e.g. us-west2).
  --builder-id ID            Require this builder id (default: any GoogleHostedWorker).
  --format text|json         Output. Default: text.
)",
          .flags = {"digest", "gcb-key", "builder-id", "format"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunAttestVerifyGcb,
      },
      {
          .name = "cel eval",
          .summary = "Evaluate a CEL expression against JSON or YAML documents",
          .usage = R"(usage: bulwark cel eval EXPR [--input FILE] [--var name=FILE[,name=FILE...]]

Compiles EXPR (Common Expression Language, cel-spec) and evaluates it once. --input binds the
document in FILE (JSON or YAML) to the variable `object`; --var binds more documents to other
names. Prints the result in CEL literal syntax. Compile errors show line:column and a caret;
runtime errors (no such key, overflow, cost limit) are reported on standard error.

Flags:
  --input FILE              Document bound to `object`.
  --var name=FILE,...       Documents bound to the given variable names.
)",
          .flags = {"input", "var"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunCelEval,
      },
      {
          .name = "convert",
          .summary = "Convert a Bulwark JSON report to a table, JSON or SARIF",
          .usage =
              R"(usage: bulwark convert REPORT.json [--format table|json|sarif] [--fail-on SEVERITY]

Reads a report in Bulwark's JSON form (the protobuf JSON mapping of bulwark.core.v1.Report, as
written by --format json) and prints it again in another format, like `trivy convert`. REPORT.json
may be - for standard input.

Flags:
  --format table|json|sarif  Output format. Default: table.
  --fail-on SEVERITY         Exit 1 when a finding is at or above SEVERITY
                             (unknown, low, medium, high or critical).
)",
          .flags = {"format", "fail-on"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunConvert,
      },
      {
          .name = "db build",
          .summary = "Compile OSV advisories into a vulnerability database file",
          .usage = R"(usage: bulwark db build SRC... --output FILE

Reads every SRC once: a directory (walked recursively), OSV JSON (*.json, a record or a list),
OSV YAML (*.yaml, *.yml; Alpine secdb documents are converted), JSON Lines (*.jsonl) or a zip of
an OSV export, and writes the compiled database `bulwark vuln --db` loads without parsing the
sources again. Malformed records, invalid ranges and GIT ranges are skipped, counted, and each
malformed record is reported on standard error with its file and field.

Flags:
  --output FILE             The compiled database to write (required).
)",
          .flags = {"output"},
          .min_arguments = 1,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunDbBuild,
      },
      {
          .name = "digest",
          .summary = "Print file checksums exactly as sha256sum, sha512sum or md5sum do",
          .usage = R"(usage: bulwark digest [--algorithm sha256|sha512|md5] [FILE...]

Prints one "<hex>  <name>" line per FILE, byte for byte as GNU coreutils sha256sum, sha512sum
and md5sum print it, so `sha256sum --check` reads the output. With no FILE, or when FILE is -,
reads standard input. A name holding a backslash, newline or carriage return is escaped as
coreutils escapes it: the line starts with "\" and the name shows "\\", "\n" and "\r".
A FILE that cannot be read is reported on standard error; the other files are still digested
and the exit status is 2.

Flags:
  --algorithm sha256|sha512|md5  Default: sha256. md5 is for legacy checksum lists only.
)",
          .flags = {"algorithm"},
          .min_arguments = 0,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunDigest,
      },
      {
          .name = "image files",
          .summary = "List the merged filesystem of an image, or its deleted-but-shipped files",
          .usage =
              R"(usage: bulwark image files PATH [--layer N] [--deleted] [--platform P] [--ref R]
                          [--format table|json]

Lists every path of the image's merged filesystem: its layers applied bottom to top with the OCI
whiteout rules (".wh.NAME" and ".wh..wh..opq" hide lower-layer files and never appear). Paths
are literal: a file below a lower layer's symlinked directory is listed under the symlink's path.
PATH and the image choice are as for `bulwark image inspect`. Every layer blob is read once and
verified against its digest and diff_id.

With --deleted, lists instead the files a layer ships that the merged tree does not show
("deleted but still shipped": hidden by a whiteout, an opaque directory or an overwrite), with the
layer that ships each one and the layer that hid it.

Flags:
  --layer N            Only entries that come from layer N (0 = bottom); with --deleted, files
                       that layer N ships.
  --deleted            List deleted-but-shipped files instead of the merged tree.
  --platform P, --ref R  As for `bulwark image inspect`.
  --format table|json  Default: table. Names in the table have control characters, backslashes
                       and bytes that are not UTF-8 escaped as \xNN, \\.

JSON (--format json), one object; keys always present, in this order:
  {"image": PATH,
   "files": [{"path": "/etc/passwd", "type": "regular", "mode": "0644", "uid": 0, "gid": 0,
              "size": 1024, "layer": 0, "link_target": "", "implicit": false}, ...]}
  or with --deleted:
  {"image": PATH,
   "deleted": [{"path": ..., "type": ..., "mode": ..., "uid": ..., "gid": ..., "size": ...,
                "layer": 0, "hidden_by_layer": 1, "hidden_by": "whiteout"}, ...]}
  Paths start with "/"; files come parents first, siblings in byte order; deleted files by path,
  then layer. type: regular, directory, symlink, hardlink, char-device, block-device, fifo,
  other. mode: permission bits in octal. link_target: a symlink's target as written, a
  hardlink's "/path", else "". implicit: a parent directory no layer declares. hidden_by:
  whiteout, opaque or overwrite. Strings that are not UTF-8 have each invalid byte written as
  \xNN.
)",
          .flags = {"layer", "platform", "ref", "format"},
          .switches = {"deleted"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunImageFiles,
      },
      {
          .name = "image inspect",
          .summary = "Show an image's format, digests, platforms, config, layers and history",
          .usage =
              R"(usage: bulwark image inspect PATH [--platform P] [--ref R] [--format table|json]

Opens the image at PATH (format detected: OCI image layout directory, OCI archive,
docker-archive, root-filesystem directory or single layer tarball), verifies the digests of the
index, manifest and config it reads, and shows what they say. Layer blobs are not read.

Flags:
  --platform P         os/arch[/variant] to choose from a multi-platform index.
                       Default: the host's, when several images are offered.
  --ref R              Choose an image by org.opencontainers.image.ref.name annotation,
                       docker-archive tag (name:tag) or manifest digest (sha256:...).
  --format table|json  Default: table. Text from the image has control characters,
                       backslashes and bytes that are not UTF-8 escaped as \xNN, \\.

JSON (--format json), one object; keys always present, in this order:
  {"image": PATH, "format": "oci-layout|oci-archive|docker-archive|rootfs|layer-tarball",
   "references": [...], "manifest_media_type": "...",
   "manifest_digest": "sha256:..." or null, "config_digest": "sha256:..." or null,
   "platform": "os/arch[/variant]" (from the config, "" when unknown),
   "platforms": ["linux/amd64", ...] (every image the input offers),
   "config": {"created", "author", "user": "...", "env": [...], "entrypoint": [...],
              "cmd": [...], "working_dir": "...", "exposed_ports": [...], "volumes": [...],
              "labels": {...}, "stop_signal": "...",
              "healthcheck": null or {"test": [...], "interval_ns", "timeout_ns",
                                      "start_period_ns", "retries"}},
   "layers": [{"index": 0, "media_type": "...", "size": 123, "digest": "sha256:...",
               "diff_id": "sha256:..." or ""}, ...],
   "history": [{"instruction": "RUN", "arguments": "...", "original": "...",
                "layer": 0 or null, "empty_layer": false, "created", "author", "comment"}, ...],
   "history_warnings": [...]}
  Strings that are not UTF-8 have each invalid byte written as \xNN.
)",
          .flags = {"platform", "ref", "format"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunImageInspect,
      },
      {
          .name = "notation verify",
          .summary = "Verify an image's Notary Project signatures with a notation trust policy",
          .usage = R"(usage: bulwark notation verify LAYOUT --trust-policy trustpolicy.json
                    --trust-store DIR --image REF [--ref R]

Finds the Notary Project signatures (JWS or COSE envelopes) stored as OCI referrers of the image
in the layout LAYOUT and verifies each with the notation trust policy whose registry scope names
REF's repository (or "*"): integrity, authenticity against the policy's trust stores under
DIR/x509/{ca,signingAuthority,tsa}/<name>, trusted identities, authentic timestamp (RFC 3161
countersignatures), expiry, and the signed target digest, each enforced or logged as the
policy's level and overrides say. Revocation is not checked (no network). Exit 0 when one
signature verifies; otherwise 2 with the reason for each.

Flags:
  --trust-policy FILE        notation's trustpolicy.json (version 1.0).
  --trust-store DIR          The trust store root (notation's $XDG_CONFIG_HOME/notation/truststore).
  --image REF                The image reference the registry scopes are matched against.
  --ref R                    Tag or digest of the image in the layout.
)",
          .flags = {"trust-policy", "trust-store", "image", "ref"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunNotationVerify,
      },
      {
          .name = "policy apply",
          .summary = "Evaluate admission policies (Kubernetes VAP, Kyverno CEL) against resources",
          .usage =
              R"(usage: bulwark policy apply --policy FILE_OR_DIR[,...] --resource FILE_OR_DIR[,...]
                           [--param FILE_OR_DIR[,...]] [--exception FILE_OR_DIR[,...]]
                           [--context FILE] [--values FILE] [--userinfo FILE]
                           [--format table|json]
       bulwark policy apply --policy FILE_OR_DIR[,...] --review ADMISSION_REVIEW.json

Evaluates Kubernetes ValidatingAdmissionPolicies with their ValidatingAdmissionPolicyBindings
(admissionregistration.k8s.io/v1) and Kyverno ValidatingPolicies (policies.kyverno.io, also on
the pod controllers Kyverno generates rules for) offline, as the API server would for creating
each resource. Prints one result per (policy, binding, param, resource): pass, fail, warn,
audit, error or skip (not matched), with the failure message. A policy with no binding is
evaluated as if bound with validationActions [Deny]. Files may hold several YAML documents;
directories are read recursively (*.yaml, *.yml, *.json). Namespace objects among the resources
or params serve namespaceSelector and namespaceObject. Kyverno PolicyExceptions
(policies.kyverno.io) except matching resources: their results are skip ("rule is skipped due to
policy exception: ns/name"). Kyverno's CEL libraries read the --context file instead of a cluster,
registries and the global context; http.* and resource.Post fail (no network).
With --review, reads AdmissionReview v1 requests and prints the AdmissionReview responses.
Exit status 1 when any result denies (a failed validation with the Deny action, or an error under
failurePolicy Fail), 2 for unreadable or invalid policies or resources.

Flags:
  --policy FILE_OR_DIR,...    Policy and binding documents (also as positional arguments).
  --resource FILE_OR_DIR,...  Resources to evaluate.
  --param FILE_OR_DIR,...     Param objects for paramKind/paramRef, and Namespace objects.
  --exception FILE_OR_DIR,... Kyverno PolicyExceptions (policies.kyverno.io).
  --context FILE              Kyverno CLI Context (cli.kyverno.io/v1alpha1): spec.resources for
                              resource.Get/List, spec.images for image.GetMetadata,
                              spec.globalContext (entry name -> data) for globalContext.Get.
  --values FILE               Kyverno CLI Values: namespaces and namespaceSelector labels,
                              globalValues["request.operation"] (CREATE, UPDATE, DELETE).
  --userinfo FILE             Kyverno CLI UserInfo: its userInfo is request.userInfo.
  --review FILE               AdmissionReview v1 requests to answer instead of --resource.
  --format table|json         Output format. Default: table.
)",
          .flags = {"policy", "resource", "param", "exception", "context", "values", "userinfo",
                    "review", "format"},
          .min_arguments = 0,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunPolicyApply,
      },
      {
          .name = "policy test",
          .summary = "Run Kyverno CLI test manifests (kyverno-test.yaml) offline",
          .usage = R"(usage: bulwark policy test DIR [--file-name NAME]

Finds every kyverno-test.yaml (cli.kyverno.io/v1alpha1 Test) under DIR, loads its policies,
exceptions, resources, paramResources, clusterResources, context, variables (values file) or
inline values, and userinfo (paths relative to the manifest), evaluates them as `bulwark policy
apply` does and compares each expected result (pass, fail, warn, error, skip) for each listed
resource ("name" or "namespace/name"). Prints every expectation and a final
"N passed, N failed" line; exit status 1 when any result differs.

Flags:
  --file-name NAME  Manifest file name to look for. Default: kyverno-test.yaml.
)",
          .flags = {"file-name"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunPolicyTest,
      },
      {
          .name = "runtime import",
          .summary = "Convert Tetragon or Tracee JSON events into bulwark.runtime.v1 JSON Lines",
          .usage = R"(usage: bulwark runtime import tetragon|tracee FILE

Reads Tetragon's JSON export (process_exec, process_exit, process_kprobe, process_tracepoint,
process_connect/close/listen) or Tracee's JSON events (classic `--output json` or v1beta1),
one per line or one pretty-printed document, and prints one bulwark.runtime.v1.Event per line
(protobuf JSON mapping), ready for `bulwark runtime replay`. Records with no counterpart in the
schema (Tracee packet and signature events, kprobes on non-syscall functions) are counted on
standard error. Exit status 0, or 2 for unreadable or malformed input.
)",
          .flags = {},
          .min_arguments = 2,
          .max_arguments = 2,
          .run = RunRuntimeImport,
      },
      {
          .name = "runtime lint",
          .summary = "Same as `runtime rules lint`",
          .usage = R"(usage: bulwark runtime lint FILE...

Loads the Falco rule files in order, exactly as `bulwark runtime replay` would, and prints each
load error and warning (Falco's codes: LOAD_ERR_YAML_VALIDATE, LOAD_ERR_COMPILE_CONDITION,
LOAD_NO_EVTTYPE, LOAD_UNUSED_MACRO, ...) with file:line:column. Exit status 0 when the files
load, 2 when there are errors.
)",
          .flags = {},
          .min_arguments = 1,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunRuntimeLint,
      },
      {
          .name = "runtime replay",
          .summary = "Run Falco-syntax rules over a JSON Lines file of runtime events",
          .usage =
              R"(usage: bulwark runtime replay EVENTS.jsonl --rules FILE_OR_DIR[,FILE_OR_DIR...]
                              [--format text|json] [--matching first|all]

Reads one bulwark.runtime.v1.Event per line (protobuf JSON mapping), keeps the process and
container tables the events describe, and evaluates the rules (Falco rule files; a directory
contributes its *.yaml files in name order). Prints one line per alert: as Falco does
("<time>: <Priority> <output>"), or as JSON Lines of bulwark.runtime.v1.Alert.
Exit status 0 without alerts, 1 with alerts, 2 for unreadable input or rules.

Flags:
  --rules FILES          Comma-separated rule files or directories. Required.
  --format text|json     Default: text.
  --matching first|all   Alert for the first matching rule of an event (Falco's default) or
                         for every matching rule. Default: first.
)",
          .flags = {"rules", "format", "matching"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunRuntimeReplay,
      },
      {
          .name = "runtime rules lint",
          .summary = "Check Falco rule files: every error and warning with file:line:column",
          .usage = R"(usage: bulwark runtime rules lint FILE...

Loads the Falco rule files in order, exactly as `bulwark runtime replay` would, and prints each
load error and warning (Falco's codes: LOAD_ERR_YAML_VALIDATE, LOAD_ERR_COMPILE_CONDITION,
LOAD_NO_EVTTYPE, LOAD_UNUSED_MACRO, ...) with file:line:column. Exit status 0 when the files
load, 2 when there are errors. `bulwark runtime lint` is the same command.
)",
          .flags = {},
          .min_arguments = 1,
          .max_arguments = kAnyNumberOfArguments,
          .run = RunRuntimeLint,
      },
      {
          .name = "runtime watch",
          .summary = "Watch this host live (process connector, /proc, fanotify) and run rules",
          .usage = R"(usage: bulwark runtime watch [--rules FILE_OR_DIR[,...]] [--duration SECONDS]
                             [--files MOUNT[,...]] [--pods PODS.json] [--format text|json]
                             [--guard-mount DIR[,...] (--guard-deny SELECTOR |
                              --guard-deny-path PREFIX)... [--guard-mode enforce|audit]
                             [--guard-scope containers|all] [--guard-access open,exec]
                             [--guard-timeout DURATION] [--guard-max-pending N]]

Needs root. Reports fork, exec (with argv, ids, capabilities and the container id from the
cgroup), exit, uid/gid changes and ptrace attaches of every process through the netlink process
connector, enriched from /proc, and file opens and writes on the mounts given to --files
(fanotify), and new TCP/UDP connections (socket diagnostics). Existing processes and their open
descriptors are read from /proc first. Container and Kubernetes fields come from --pods (the
output of `kubectl get pods -A -o json`), Docker's /var/lib/docker and the OCI bundles of
containerd and CRI-O. Without --rules prints the events as
JSON Lines of bulwark.runtime.v1.Event; with --rules prints the alerts as `bulwark runtime
replay` does. Stops after --duration or on SIGINT/SIGTERM. Exit status 0, 1 with alerts or
guard denials, 2 on errors (PermissionDenied when not root).

The guard (off unless --guard-mount is given) refuses opens and execs before they happen, with
fanotify permission events: the kernel holds each open/exec of a file on the mounts holding the
--guard-mount directories until the guard answers; a denied call fails with EPERM.
  --guard-deny SELECTOR      Deny when an alert of --rules matches SELECTOR: rule:NAME, tag:TAG,
                             priority:LEVEL (that severe or more), joined by ',' to require all
                             (tag:T1611,priority:Critical). Repeatable; any selector denies.
  --guard-deny-path PREFIX   Deny opens/execs of PREFIX and files below it (host paths, symlinks
                             resolved). Repeatable.
  --guard-mode MODE          enforce (default) or audit: allow everything, report "would deny".
  --guard-scope SCOPE        containers (default: host processes are never denied) or all.
  --guard-access KINDS       open, exec or open,exec (default; exec needs Linux 5.0+).
  --guard-timeout DURATION   Fail open: allow an access not decided in time (default 250ms).
  --guard-max-pending N      Accesses waiting for a decision; more are allowed (default 1024).
Each denial (or would-be denial, or time-out) is printed as "<time>: Guard denied open of PATH by
NAME (pid N, container ID): RULE", or with --format json as {"guard": {...}, "event": {...}}; a
summary goes to stderr at the end. The guard needs root with CAP_SYS_ADMIN (PermissionDenied)
and a kernel with fanotify permission events (FailedPrecondition otherwise). It judges each
access from the path and the process as /proc shows it; docs/runtime.md says what it cannot stop.
)",
          .flags = {"rules", "duration", "files", "pods", "format", "guard-mount", "guard-deny",
                    "guard-deny-path", "guard-mode", "guard-scope", "guard-access", "guard-timeout",
                    "guard-max-pending"},
          .min_arguments = 0,
          .max_arguments = 0,
          .run = RunRuntimeWatch,
      },
      {
          .name = "sbom",
          .summary = "List the packages of an image (SBOM) as a table, JSON, CycloneDX or SPDX",
          .usage =
              R"(usage: bulwark sbom PATH [--format table|json|cyclonedx|cyclonedx-1.6|spdx]
                   [--files] [--platform P] [--ref R]

Walks every layer of the image once (verified against its digests, nothing extracted) and lists
its operating system and packages: dpkg (status, status.d), apk, Python dist-info/egg-info,
npm node_modules and package-lock/yarn/pnpm lock files, Cargo.lock, Ruby gemspecs and
Gemfile.lock, PHP composer.lock/installed.json. Whiteouts are followed: the final image decides
what is installed. Each package names the layer where it first appeared in its final state;
packages that a later layer removed are listed apart. PATH and the image choice are as for
`bulwark image inspect`.

Flags:
  --format F   table (default); json (Bulwark's bulwark.sbom.v1.Sbom in the protobuf JSON
               mapping); cyclonedx (CycloneDX 1.5 JSON; cyclonedx-1.5 too); cyclonedx-1.6;
               spdx (SPDX 2.3 JSON).
  --files      Keep each package's installed files (dpkg info/*.list, apk) in the json output.
  --platform P, --ref R  As for `bulwark image inspect`.
)",
          .flags = {"format", "platform", "ref"},
          .switches = {"files"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunSbom,
      },
      {
          .name = "scan",
          .summary = "Scan an image: packages, secrets, malware, risky build steps and files",
          .usage =
              R"(usage: bulwark scan PATH [--format table|json|sarif|cyclonedx|cyclonedx-1.5]
                    [--db DB] [--fail-on SEVERITY]
                    [--scanners sbom,vuln,secret,misconfig,file,malware]
                    [--severity SEVERITY] [--ignore-file FILE] [--secret-rules FILE]
                    [--malware-rules PATHS] [--malware-hashes FILES] [--no-builtin-malware]
                    [--archive-depth N] [--dockerfile FILE] [--output FILE] [--quiet]
                    [--match-os-owned-packages] [--platform P] [--ref R]

Opens the image at PATH (as `bulwark image inspect` does), reads every layer once and runs the
selected scanners over it, then prints one report (bulwark.core.v1.Report):
  sbom       package inventory (report metadata; the components of --format cyclonedx)
  vuln       known vulnerabilities of those packages, matched against the OSV advisories of
             --db (skipped without --db; naming it in --scanners needs --db)
  secret     secrets in files of every layer (deleted-but-shipped files too: their severity is
             raised) and in archives inside them, in config env values, labels and history;
             masked in all output
  misconfig  build-history and config risks (BWK-DF-xxx: root user, curl|sh, ADD URL, unpinned
             or uncleaned package installs, chmod 777, setuid, secrets in ENV/ARG, ...)
  file       setuid/setgid, world-writable, unknown owners, executables in /tmp, SSH keys,
             credential files, .git, core dumps (BWK-FILE-xxx)
  malware    YARA rules (built-in BWK-MAL-xxx: EICAR, crypto-miners, webshells, reverse
             shells; and --malware-rules) and known-bad SHA-256 lists over files and archive
             members

Flags:
  --db DB                    Vulnerability database: a compiled file (`bulwark db build`) or
                             OSV sources (a directory of OSV JSON/YAML, .jsonl, .zip).
  --match-os-owned-packages  Also match language packages that an OS package installed (a
                             Debian python3-* egg-info) in their own ecosystem; by default
                             their OS package's advisories cover them (`bulwark vuln`).
  --format F                 table, json, sarif, or cyclonedx (1.6; cyclonedx-1.5): the
                             SBOM with the vulnerability findings. Default: table.
  --fail-on SEVERITY         Exit 1 when a finding is at or above SEVERITY
                             (unknown, low, medium, high or critical).
  --scanners LIST            Comma-separated scanners to run. Default: all.
  --severity SEVERITY        Leave out findings below SEVERITY. Default: keep all.
  --ignore-file FILE         Accepted findings, Trivy-style: .trivyignore text (ids, exp:DATE)
                             or YAML when FILE ends in .yaml/.yml (ids, paths, expired_at).
  --secret-rules FILE        Secret rules in gitleaks' TOML format instead of the built-in set.
  --malware-rules PATHS      Comma-separated YARA rule files or directories (*.yar, *.yara).
  --malware-hashes FILES     Comma-separated known-bad SHA-256 lists (sha256sum format).
  --no-builtin-malware       Only the rules and lists given above.
  --archive-depth N          Levels of archives (jar, zip, tar.gz) opened inside the image for
                             secrets and malware; 0: none. Default: 3.
  --dockerfile FILE          Also check the Dockerfile the image was built from with the
                             BWK-DF rules (and BWK-DF-002: FROM without a tag or latest).
  --output FILE              Write the report to FILE instead of standard output.
  --quiet                    No progress bar (it is only drawn when stderr is a terminal).
  --platform P, --ref R      As for `bulwark image inspect`.
)",
          .flags = {"format", "fail-on", "scanners", "severity", "secret-rules", "dockerfile",
                    "output", "platform", "ref", "ignore-file", "malware-rules", "malware-hashes",
                    "archive-depth", "db"},
          .switches = {"quiet", "no-builtin-malware", "match-os-owned-packages"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunScan,
      },
      {
          .name = "sign",
          .summary =
              "Sign an image of an OCI layout with a key, storing the signature as cosign does",
          .usage =
              R"(usage: bulwark sign LAYOUT --key PRIVATE.pem [--ref R] [--docker-reference NAME]
                    [--annotations k=v,k2=v2]

Signs the image of the OCI layout LAYOUT (the only image besides signatures, or the one --ref
names by tag or digest) with the private key in PRIVATE.pem (PKCS#8, SEC1 or PKCS#1 PEM; an
encrypted PKCS#8 key reads its password from $BULWARK_KEY_PASSWORD): the simple-signing payload,
its signature and a `sha256-<hex>.sig` manifest are written into the layout exactly as cosign
writes them, so `cosign verify --key` and `bulwark verify` accept the result.

Flags:
  --key FILE                 Private key (ECDSA P-256/384/521, RSA 2048-4096, Ed25519).
  --ref R                    Tag or digest of the image in the layout.
  --docker-reference NAME    critical.identity.docker-reference. Default: "".
  --annotations k=v,...      Written to the payload's optional section.
)",
          .flags = {"key", "ref", "docker-reference", "annotations"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunSign,
      },
      {
          .name = "sigstore verify-bundle",
          .summary = "Verify a Sigstore bundle offline against a trusted root",
          .usage = R"(usage: bulwark sigstore verify-bundle [--staging] --bundle FILE
                    --certificate-identity IDENTITY --certificate-oidc-issuer URL
                    [--trusted-root FILE] [--key PUBLIC.pem] FILE_OR_DIGEST

Verifies the Sigstore bundle (v0.1, v0.2 or v0.3) for FILE_OR_DIGEST (a file, or
sha256:<64 hex> when it is not a path on disk) with no network access, following the
sigstore-conformance client protocol: exit 0 when verified, otherwise the failing step on
standard error and exit 2. Without --trusted-root the root is read from $BULWARK_TRUSTED_ROOT
($BULWARK_TRUSTED_ROOT_STAGING with --staging).

Flags:
  --bundle FILE                         The bundle JSON.
  --certificate-identity IDENTITY       Exact SAN (email, URI or otherName).
  --certificate-identity-regexp RE      RE2 regex over the SAN instead.
  --certificate-oidc-issuer URL         Exact OIDC issuer (Fulcio extension .1.8 or .1.1).
  --certificate-oidc-issuer-regexp RE   RE2 regex over the issuer instead.
  --trusted-root FILE                   trusted_root.json (or a ClientTrustConfig).
  --key FILE                            Public key for key-signed bundles.
  --staging                             Use $BULWARK_TRUSTED_ROOT_STAGING.
)",
          .flags = {"bundle", "certificate-identity", "certificate-identity-regexp",
                    "certificate-oidc-issuer", "certificate-oidc-issuer-regexp", "trusted-root",
                    "key"},
          .switches = {"staging"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunSigstoreVerifyBundle,
      },
      {
          .name = "trust-policy evaluate",
          .summary =
              "Decide whether a trust policy admits an image, with the reason per requirement",
          .usage =
              R"(usage: bulwark trust-policy evaluate LAYOUT --policy FILE --image REF [--ref R]
                    [--format text|json]

Evaluates the trust policy in FILE (YAML: scopes of registry/repository globs mapped to signers
-- keys, keyless identities and issuers -- a minimum number of distinct signers, required
attestations with predicate conditions, or skip; see docs/sign.md) for the image REF whose
content is the image of the OCI layout LAYOUT (its signatures and attestations are read from the
layout). Prints allow/deny, the scope, and every requirement with its outcome and reason.
Exit 0 when allowed, 1 when denied, 2 for unreadable input.

Flags:
  --policy FILE              The trust policy (keyFile and trustedRoot paths are relative to it).
  --image REF                The image reference the policy's scopes are matched against.
  --ref R                    Tag or digest of the image in the layout.
  --format text|json         Output. Default: text.
)",
          .flags = {"policy", "image", "ref", "format"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunTrustPolicyEvaluate,
      },
      {
          .name = "verify",
          .summary = "Verify an image's cosign signatures with a key or keylessly",
          .usage =
              R"(usage: bulwark verify IMAGE (--key PUBLIC.pem | --certificate-identity ID
                      --certificate-oidc-issuer URL [--trusted-root FILE]) [--ref R]
                      [--docker-reference NAME] [--annotations k=v,k2=v2]

Finds the cosign signatures of IMAGE (an OCI layout: the `sha256-<hex>.sig` tag and OCI 1.1
referrers whose subject is the image; or a containers/image "dir:" copy with signature-N files)
and verifies each with the key, or keylessly (the certificate annotation chained to the trusted
root's Fulcio CAs at the Rekor SET's integrated time, the SET, then identity and issuer, as
cosign's flags): signature, simple-signing payload, docker-manifest-digest equal to the image's
digest, and the docker reference and annotations when asked. Exit 0 when at least one
signature verifies (each is listed); otherwise exit 2 with the reason for every signature.

Flags:
  --key FILE                            Public key (PEM or DER SubjectPublicKeyInfo).
  --certificate-identity ID             Keyless: a SAN (email, URI, otherName) equal to ID.
  --certificate-identity-regexp RE      Keyless: a SAN fully matching the RE2 regex RE.
  --certificate-oidc-issuer URL         Keyless: the Fulcio OIDC issuer (.1.8, else .1.1).
  --certificate-oidc-issuer-regexp RE   Keyless: the issuer fully matching RE.
  --trusted-root FILE                   trusted_root.json: Fulcio CAs and Rekor keys (keyless
                                        default: $BULWARK_TRUSTED_ROOT; never the network).
  --ca-roots FILE, --ca-intermediates FILE
                                        Keyless with your own PKI: PEM CA certificates.
  --rekor-key FILE                      Require a Rekor SET by this log key.
  --ref R                               Tag or digest of the image in an OCI layout.
  --docker-reference NAME               Required critical.identity.docker-reference.
  --annotations k=v,...                 Required entries of the payload's optional section.
)",
          .flags = {"key", "certificate-identity", "certificate-identity-regexp",
                    "certificate-oidc-issuer", "certificate-oidc-issuer-regexp", "trusted-root",
                    "ca-roots", "ca-intermediates", "rekor-key", "ref", "docker-reference",
                    "annotations"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunVerify,
      },
      {
          .name = "version",
          .summary = "Print the Bulwark version and the versions of the libraries it links",
          .usage = R"(usage: bulwark version [--format table|json]

Prints "bulwark <version>" and one line per linked library. With --format json, prints one
JSON object: {"version": "...", "dependencies": {"<library>": "<version>", ...}}.

Flags:
  --format table|json  Default: table.
)",
          .flags = {"format"},
          .min_arguments = 0,
          .max_arguments = 0,
          .run = RunVersion,
      },
      {
          .name = "version compare",
          .summary = "Order two package versions as the ecosystem's own tool does",
          .usage = R"(usage: bulwark version compare ECOSYSTEM A B

Prints "<", "=" or ">": how version A sorts against version B in ECOSYSTEM, by the rules of the
ecosystem's own tool (dpkg, apk, rpm, PEP 440, node-semver, Go modules, semver 2.0.0, Maven,
RubyGems, Composer, NuGet, pub, R, Cabal). "=" means equal in that order ("1.0" and "1" in PyPI).
ECOSYSTEM is an OSV ecosystem name, optionally with a release suffix:
  Debian Ubuntu Alpine "Red Hat" AlmaLinux "Rocky Linux" openSUSE SUSE PyPI npm Go crates.io
  Maven RubyGems Packagist NuGet Pub CRAN Hackage   (e.g. Debian:12, Alpine:v3.18)
An invalid version is an input error (exit 2) that says why. Put "--" before versions that
start with "-".
)",
          .min_arguments = 3,
          .max_arguments = 3,
          .run = RunVersionCompare,
      },
      {
          .name = "vuln",
          .summary = "Match an image's (or an SBOM's) packages against a vulnerability database",
          .usage = R"(usage: bulwark vuln PATH --db DB [--format table|json|sarif|cyclonedx]
                    [--fail-on SEVERITY] [--vex FILE]... [--show-suppressed]
                    [--match-os-owned-packages] [--platform P] [--ref R]

Catalogs the packages of the image at PATH (as `bulwark sbom` does), or reads PATH as a Bulwark
SBOM when it ends in .json (`bulwark sbom --format json`), and reports one finding per
vulnerability and package: OS packages by source package in the distribution's release (Debian:12,
Alpine:v3.19, AlmaLinux:9), language packages by name in their ecosystem, Go binaries' standard
library by Go version. Records that name the same vulnerability (CVE, GHSA, PYSEC, GO, DEBIAN-CVE
...) are one finding with every ID; the fixed versions, or "no fix yet", are in the finding.
Packages that cannot be matched (no ecosystem, invalid version) are listed on standard error.
A language package that an OS package installed (Debian's python3-requests ships the PyPI
requests egg-info; dpkg, apk or rpm lists its file, at the same upstream version) is matched
through its owner only: the distribution's advisories, with their backported fixes, apply to it.
The report's metadata counts them (packages_os_owned); an SBOM .json needs the installed files
(`bulwark sbom --files`) for this. Severity is the database's label where it gives one, else the rating of its newest CVSS vector;
the CVSS score and vector are shown with it. VEX documents (OpenVEX, CycloneDX, CSAF) mark
findings not_affected or fixed (suppressed: hidden unless --show-suppressed, never counted by
--fail-on) or affected / under_investigation (annotated).

Flags:
  --db DB                   A compiled database (`bulwark db build`) or OSV sources (required).
  --vex FILE                A VEX document; repeat for several (later files win timestamp ties).
  --show-suppressed         Also list findings a VEX statement suppresses, marked as such.
  --match-os-owned-packages Also match OS-owned language packages in their own ecosystem
                            (PyPI, npm, ...), as well as through their OS package.
  --format FORMAT           table, json, sarif (reports) or cyclonedx (a CycloneDX 1.5 BOM
                            with a vulnerabilities array). Default: table.
  --fail-on SEVERITY        Exit 1 when a finding is at or above SEVERITY.
  --platform P, --ref R     Image choice, as for `bulwark image inspect`.
)",
          .flags = {"db", "format", "fail-on", "platform", "ref", "vex"},
          .switches = {"show-suppressed", "match-os-owned-packages"},
          .min_arguments = 1,
          .max_arguments = 1,
          .run = RunVuln,
      },
  };
  return *kCommands;
}

namespace {

const Command* FindCommand(absl::string_view name) {
  for (const Command& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace

std::optional<CommandMatch> MatchCommand(absl::Span<const std::string> words) {
  // The longest name wins: a group verb over a one-word command of the same name ("version
  // compare", "version"), a three-word name over two ("runtime rules lint").
  for (size_t n = std::min<size_t>(words.size(), 3); n >= 1; --n) {
    if (const Command* command = FindCommand(absl::StrJoin(words.subspan(0, n), " "))) {
      return CommandMatch{command, n};
    }
  }
  return std::nullopt;
}

std::vector<const Command*> CommandsInGroup(absl::string_view group) {
  std::vector<const Command*> commands;
  for (const Command& command : Commands()) {
    if (absl::StartsWith(command.name, absl::StrCat(group, " "))) commands.push_back(&command);
  }
  return commands;
}

}  // namespace bulwark::cli
