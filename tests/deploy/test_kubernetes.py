"""The Kubernetes manifests: rendered by kustomize, valid against the API schemas, and safe to run."""

from __future__ import annotations

import ipaddress
import subprocess

import kubernetes_validate
import pytest

from statex.config import load_settings
from tests.deploy.conftest import K8S, ROOT, by_kind, parse_statex_args, pod_labels, pod_specs

# The oldest Kubernetes we support and the newest schemas kubernetes-validate ships.
VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
WORKERS = ("statex-worker-ai", "statex-worker-notifications")


@pytest.fixture(params=["base", "production"])
def manifests(request, base_manifests, production_manifests) -> list[dict]:
    return base_manifests if request.param == "base" else production_manifests


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rendered_manifest_is_valid_against_the_kubernetes_schema(manifests, version):
    for doc in manifests:
        # strict: a misspelt or misplaced field is an error, not silently ignored.
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_platform_has_its_workloads_and_everything_lives_in_the_statex_namespace(manifests):
    assert set(by_kind(manifests, "Deployment")) == {"statex-web", *WORKERS, "statex-scheduler", "statex-mail-in"}
    assert set(by_kind(manifests, "Job")) == {"statex-migrate"}
    assert set(by_kind(manifests, "CronJob")) == {"statex-reconcile", "statex-backup"}
    for doc in manifests:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "statex", doc["metadata"]["name"]


def test_workloads_run_statex_commands_with_options_it_accepts(manifests):
    for spec in pod_specs(manifests).values():
        for container in spec["containers"]:
            parse_statex_args(container["args"])
    assert pod_specs(manifests)["Job/statex-migrate"]["containers"][0]["args"] == ["db", "upgrade"]


def test_pods_run_non_root_with_a_read_only_root_and_a_writable_tmp(manifests):
    for name, spec in pod_specs(manifests).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {volume["name"]: volume for volume in spec["volumes"]}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            tmp = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert tmp and "emptyDir" in volumes[tmp[0]["name"]], f"{name} has no emptyDir at /tmp"


def test_every_container_has_resource_requests_and_limits(manifests):
    for name, spec in pod_specs(manifests).items():
        for container in spec["containers"]:
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, f"{name} {bound}"


def test_settings_come_from_the_config_map_and_secrets_are_referenced_not_inlined(manifests):
    config_maps = by_kind(manifests, "ConfigMap")
    for name, spec in pod_specs(manifests).items():
        for container in spec["containers"]:
            sources = container["envFrom"]
            config = [s["configMapRef"]["name"] for s in sources if "configMapRef" in s]
            secret = [s["secretRef"]["name"] for s in sources if "secretRef" in s]
            assert config and config[0] in config_maps, name
            assert secret and secret[0].startswith("statex-secrets"), name
            assert "env" not in container, f"{name} sets values inline"


def test_the_base_holds_no_secret_values(base_manifests):
    assert by_kind(base_manifests, "Secret") == {}


def test_the_production_secret_is_generated_from_the_git_ignored_secret_env(production_manifests):
    secrets = by_kind(production_manifests, "Secret")
    assert len(secrets) == 1 and next(iter(secrets)).startswith("statex-secrets-")
    secret_name = next(iter(secrets))
    for spec in pod_specs(production_manifests).values():
        refs = [s["secretRef"]["name"] for s in spec["containers"][0]["envFrom"] if "secretRef" in s]
        assert refs == [secret_name], "workloads must follow the generated Secret's hashed name"
    ignored = subprocess.run(["git", "check-ignore", "-q", "deploy/k8s/overlays/production/secret.env"],
                             cwd=ROOT, check=False)
    assert ignored.returncode == 0, "secret.env must be ignored by git"


def test_the_production_settings_are_complete_for_statex(production_manifests):
    """The ConfigMap plus the example secrets pass the production start-up check of statex.config."""
    config = next(iter(by_kind(production_manifests, "ConfigMap").values()))["data"]
    example = K8S / "overlays" / "production" / "secret.example.env"
    secrets = dict(line.split("=", 1) for line in example.read_text().splitlines()
                   if line and not line.startswith("#"))
    settings = load_settings({**config, **secrets})
    assert settings.production and settings.uses_s3
    assert settings.site_url == "https://statex.cz"
    assert settings.mail_in_domain == "statex.cz"


def test_web_is_probed_on_healthz_and_readyz(manifests):
    container = pod_specs(manifests)["Deployment/statex-web"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"


def test_workers_are_probed_by_their_registration_for_their_own_queue(manifests):
    for name in WORKERS:
        container = pod_specs(manifests)[f"Deployment/{name}"]["containers"][0]
        queue = container["args"][1]
        assert container["livenessProbe"]["exec"]["command"] == [
            "python", "/app/deploy/probes/worker_alive.py", queue]
        assert (ROOT / "deploy" / "probes" / "worker_alive.py").is_file()


def test_web_scales_on_cpu_and_workers_on_the_length_of_their_queue(manifests):
    autoscalers = by_kind(manifests, "HorizontalPodAutoscaler")
    deployments = by_kind(manifests, "Deployment")
    for hpa in autoscalers.values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
    assert autoscalers["statex-web"]["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    for name in WORKERS:
        queue = deployments[name]["spec"]["template"]["spec"]["containers"][0]["args"][1]
        external = autoscalers[name]["spec"]["metrics"][0]["external"]
        assert external["metric"]["name"] == "statex_queue_jobs"
        assert external["metric"]["selector"]["matchLabels"] == {"queue": queue, "state": "queued"}


def test_disruption_budgets_cover_web_and_the_workers(manifests):
    labels = pod_labels(manifests)
    budgets = by_kind(manifests, "PodDisruptionBudget")
    for name in ("statex-web", *WORKERS, "statex-mail-in"):
        selector = budgets[name]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels[f"Deployment/{name}"].items(), name


def test_the_web_service_and_ingress_reach_the_web_pods(manifests):
    service = by_kind(manifests, "Service")["statex-web"]
    web = by_kind(manifests, "Deployment")["statex-web"]["spec"]["template"]
    assert service["spec"]["selector"].items() <= web["metadata"]["labels"].items()
    port_names = {p["name"] for p in web["spec"]["containers"][0]["ports"]}
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    ingresses = by_kind(manifests, "Ingress")
    for ingress in ingresses.values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == "statex-web"
                assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
    annotations = ingresses["statex"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "off"
    internal = ingresses["statex-metrics-internal"]
    assert internal["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/metrics"
    assert internal["metadata"]["annotations"]["nginx.ingress.kubernetes.io/whitelist-source-range"] == "127.0.0.1/32"


def test_the_mail_in_service_reaches_the_listener_which_is_probed_on_its_port(manifests):
    service = by_kind(manifests, "Service")["statex-mail-in"]
    mail_in = by_kind(manifests, "Deployment")["statex-mail-in"]["spec"]["template"]
    assert service["spec"]["selector"].items() <= mail_in["metadata"]["labels"].items()
    container = mail_in["spec"]["containers"][0]
    (port,) = container["ports"]
    assert service["spec"]["ports"] == [{"name": "smtp", "port": 25, "targetPort": port["name"]}]
    options = parse_statex_args(container["args"]).params
    assert options["port"] == port["containerPort"] and options["host"] == "0.0.0.0"
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["tcpSocket"]["port"] == port["name"]


def _policies_for(policies: dict, labels: dict) -> list[dict]:
    """The NetworkPolicies whose podSelector picks a pod with `labels`."""
    chosen = []
    for policy in policies.values():
        selector = policy["spec"]["podSelector"]
        matches = selector.get("matchLabels", {}).items() <= labels.items()
        for expression in selector.get("matchExpressions", []):
            assert expression["operator"] == "In"
            matches = matches and labels.get(expression["key"]) in expression["values"]
        if matches:
            chosen.append(policy)
    return chosen


def _egress_ports(policies: list[dict]) -> set[int]:
    return {port["port"] for policy in policies for rule in policy["spec"].get("egress", [])
            for port in rule.get("ports", [])}


def test_network_policies_deny_by_default_and_open_only_what_each_pod_needs(manifests):
    policies = by_kind(manifests, "NetworkPolicy")
    deny = policies["statex-default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    expected = {
        "Deployment/statex-web": {53, 5432, 6379, 443},
        "Deployment/statex-worker-ai": {53, 5432, 6379, 443},
        "Deployment/statex-worker-notifications": {53, 5432, 6379, 443, 25, 465, 587},
        "Deployment/statex-scheduler": {53, 5432, 6379},
        "Deployment/statex-mail-in": {53, 5432, 6379, 443},
        "Job/statex-migrate": {53, 5432, 6379},
        "CronJob/statex-reconcile": {53, 5432, 6379},
        "CronJob/statex-backup": {53, 5432, 443},
    }
    for name, labels in pod_labels(manifests).items():
        chosen = _policies_for(policies, labels)
        assert _egress_ports(chosen) == expected[name], name
        ingress_rules = [rule for policy in chosen for rule in policy["spec"].get("ingress", [])]
        sources = {peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                   for rule in ingress_rules for peer in rule.get("from", [])}
        ports = {port["port"] for rule in ingress_rules for port in rule["ports"]}
        if name == "Deployment/statex-web":
            assert (sources, ports) == ({"ingress-nginx", "monitoring"}, {8000})
        elif name == "Deployment/statex-mail-in":
            # Mail comes from the relay in front of it, wherever that runs: any source, the SMTP port only.
            assert (sources, ports) == (set(), {2525})
        elif name in ("Deployment/statex-worker-ai", "Deployment/statex-worker-notifications"):
            assert (sources, ports) == ({"monitoring"}, {9100}), "only Prometheus, only for metrics"
        else:
            assert ingress_rules == [], f"{name} must accept no inbound traffic"


def test_the_notifications_worker_reaches_chat_services_only_at_public_addresses(manifests):
    """Clients name the hosts the notifications worker calls: HTTPS must not reach inside the network."""
    policy = by_kind(manifests, "NetworkPolicy")["statex-worker-notifications"]["spec"]
    [https] = [rule for rule in policy["egress"] if {p["port"] for p in rule["ports"]} == {443}]
    blocks = [peer["ipBlock"] for peer in https["to"]]
    assert {block["cidr"] for block in blocks} == {"0.0.0.0/0", "::/0"}
    refused = [ipaddress.ip_network(cidr) for block in blocks for cidr in block["except"]]
    for address in ("10.1.2.3", "172.20.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1",
                    "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"):
        assert any(ipaddress.ip_address(address) in network for network in refused), address
    assert not any(ipaddress.ip_address("93.184.216.34") in network for network in refused)
    assert all(443 not in {p["port"] for p in rule["ports"]} for rule in policy["egress"] if rule is not https)


def test_prometheus_finds_the_metrics_each_pod_serves(manifests):
    for doc in manifests:
        if doc["kind"] != "Deployment" or doc["metadata"]["name"] in ("statex-scheduler", "statex-mail-in"):
            continue
        template = doc["spec"]["template"]
        container = template["spec"]["containers"][0]
        port = template["metadata"]["annotations"]["prometheus.io/port"]
        assert int(port) in {p["containerPort"] for p in container["ports"]}, doc["metadata"]["name"]
        if container["args"][0] == "worker":
            assert container["args"][2:] == ["--metrics-port", port]


def test_production_raises_replicas_and_resources_and_pins_the_image(base_manifests, production_manifests):
    base = by_kind(base_manifests, "Deployment")
    production = by_kind(production_manifests, "Deployment")
    for name in ("statex-web", "statex-worker-ai"):
        assert production[name]["spec"]["replicas"] > base[name]["spec"]["replicas"]
        before = base[name]["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
        after = production[name]["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
        assert after != before
    for spec in pod_specs(production_manifests).values():
        assert spec["containers"][0]["image"] == "registry.example.com/statex/statex:1.0.0"
    hpa = by_kind(production_manifests, "HorizontalPodAutoscaler")["statex-web"]["spec"]
    assert hpa["minReplicas"] == production["statex-web"]["spec"]["replicas"]


def test_the_cron_jobs_reconcile_and_back_up_without_overlapping(manifests):
    cron_jobs = by_kind(manifests, "CronJob")
    assert cron_jobs["statex-backup"]["spec"]["schedule"] == "*/15 * * * *", "RPO of 15 minutes"
    for cron_job in cron_jobs.values():
        assert cron_job["spec"]["concurrencyPolicy"] == "Forbid"
    backup = cron_jobs["statex-backup"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert backup["args"] == ["backup", "--to", "$(BACKUP_URL)", "--prune"], "back up, then apply the retention"
    config = next(iter(by_kind(manifests, "ConfigMap").values()))["data"]
    assert config["BACKUP_URL"].startswith("s3://")
