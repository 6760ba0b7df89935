"""bulwark.runtime metadata providers: Docker state directory, OCI bundles, kubectl pod lists and
chains, on files written here in the layouts those tools use, and fed to an Engine."""

import json

import pytest

import bulwark
from bulwark import runtime

DOCKER_ID = "4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b"
CONTAINERD_ID = "9a8b7c6d5e4f30211f2e3d4c5b6a79880a1b2c3d4e5f60718293a4b5c6d7e8f9"

PODS = {
    "apiVersion": "v1",
    "kind": "List",
    "items": [{
        "metadata": {"name": "web-0", "namespace": "prod", "uid": "1111",
                     "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "securityContext": {"privileged": True}}]},
        "status": {"phase": "Running", "containerStatuses": [{
            "name": "web", "containerID": "docker://" + DOCKER_ID,
            "image": "registry.example/shop/web:2.1",
            "imageID": "docker-pullable://registry.example/shop/web@sha256:cafe",
            "state": {"running": {"startedAt": "2026-11-29T06:00:00Z"}}}]},
    }],
}

RULES = """
- rule: Shell in production pod
  desc: t
  condition: evt.type = execve and k8s.ns.name = prod and k8s.pod.label[app] = web
  output: "%proc.name in %k8s.ns.name/%k8s.pod.name (%container.image.repository, %container.name)"
  priority: WARNING
"""


@pytest.fixture
def docker_root(tmp_path):
    container = tmp_path / "docker" / "containers" / DOCKER_ID
    container.mkdir(parents=True)
    (container / "config.v2.json").write_text(json.dumps({
        "ID": DOCKER_ID,
        "Name": "/k8s_web_web-0_prod_1111_0",
        "Image": "sha256:aaaabbbb",
        "Config": {"Image": "registry.example/shop/web:2.1",
                   "Labels": {"io.kubernetes.pod.name": "web-0", "team": "shop"}},
        "State": {"Running": True, "StartedAt": "2026-11-29T06:00:00.5Z"},
    }))
    (container / "hostconfig.json").write_text('{"Privileged": false}')
    return tmp_path / "docker"


def test_docker_state_provider_reads_and_looks_up(docker_root):
    docker = runtime.DockerStateProvider(str(docker_root))
    container = docker.read(DOCKER_ID[:12])
    assert container["id"] == DOCKER_ID[:12]
    assert container["fullId"] == DOCKER_ID
    assert container["runtime"] == "docker"
    assert container["imageRepository"] == "registry.example/shop/web"
    assert container["labels"]["team"] == "shop"
    assert docker.lookup(DOCKER_ID[:12])["k8sPodName"] == "web-0"
    assert docker.lookup("0123456789ab") is None
    with pytest.raises(bulwark.NotFoundError, match="0123456789ab"):
        docker.read("0123456789ab")


def test_oci_bundle_provider_reads_containerd_annotations(tmp_path):
    bundle = tmp_path / "k8s.io" / CONTAINERD_ID
    bundle.mkdir(parents=True)
    (bundle / "config.json").write_text(json.dumps({"ociVersion": "1.1.0", "annotations": {
        "io.kubernetes.cri.container-name": "api",
        "io.kubernetes.cri.image-name": "ghcr.io/acme/api:v3",
        "io.kubernetes.cri.sandbox-name": "api-7d9f",
        "io.kubernetes.cri.sandbox-namespace": "payments"}}))
    bundles = runtime.OciBundleProvider([str(tmp_path / "k8s.io")])
    container = bundles.read(CONTAINERD_ID[:12])
    assert container["name"] == "api"
    assert container["imageTag"] == "v3"
    assert container["k8sNamespace"] == "payments"
    defaults = runtime.OciBundleProvider.default_directories()
    assert "/run/containerd/io.containerd.runtime.v2.task/k8s.io" in defaults


def test_pod_list_provider_from_json_and_file(tmp_path):
    pods = runtime.PodListProvider.from_json(PODS)
    assert pods.container_count == 1
    web = pods.lookup(DOCKER_ID[:12])
    assert web["privileged"] is True
    assert web["imageDigest"] == "sha256:cafe"
    assert web["k8sPodLabels"] == {"app": "web"}
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(PODS))
    assert runtime.PodListProvider.from_file(str(path)).lookup(DOCKER_ID[:12]) == web


def test_pod_list_errors_name_position_and_path(tmp_path):
    with pytest.raises(bulwark.InvalidArgumentError, match=r"pods.json:2:3: \$.items must be"):
        runtime.PodListProvider.from_json('{"items":\n  {"a":1}}', "pods.json")
    with pytest.raises(bulwark.NotFoundError):
        runtime.PodListProvider.from_file(str(tmp_path / "absent.json"))


def test_chain_feeds_kubernetes_fields_to_rules(docker_root):
    chain = runtime.ChainedProvider(
        [runtime.PodListProvider.from_json(PODS), runtime.DockerStateProvider(str(docker_root))])
    merged = chain.lookup(DOCKER_ID[:12])
    assert merged["imageDigest"] == "sha256:cafe"  # The pod list comes first.
    assert merged["labels"]["team"] == "shop"      # Only Docker knows this label.
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=chain)
    alerts = engine.process([{
        "type": "EVENT_TYPE_EXECVE", "pid": 77,
        "process": {"pid": 77, "name": "sh",
                    "cgroups": ["0::/kubepods/besteffort/pod1111/" + DOCKER_ID]},
    }])
    assert [a["output"] for a in alerts] == \
        ["sh in prod/web-0 (registry.example/shop/web, web)"]
    assert alerts[0]["container"]["k8sPodUid"] == "1111"


def test_engine_without_provider_knows_no_pod():
    engine = runtime.Engine(runtime.rules_from_string(RULES))
    assert engine.process([{
        "type": "EVENT_TYPE_EXECVE", "pid": 77,
        "process": {"pid": 77, "name": "sh", "cgroups": ["0::/docker/" + DOCKER_ID]},
    }]) == []


class ShopProvider(runtime.ContainerMetadataProvider):
    """A provider written in Python: one known container, and one id that makes it fail."""

    FAILING_ID = "0badc0ffee00"

    def __init__(self):
        self.asked = []

    def lookup(self, container_id):
        self.asked.append(container_id)
        if container_id == self.FAILING_ID:
            raise ValueError("inventory service unreachable")
        if container_id == DOCKER_ID[:12]:
            return {"name": "web", "imageRepository": "registry.example/shop/web",
                    "k8sNamespace": "prod", "k8sPodName": "web-0",
                    "k8sPodLabels": {"app": "web"}}
        return None


def exec_in(container_id, pid):
    return {"type": "EVENT_TYPE_EXECVE", "pid": pid,
            "process": {"pid": pid, "name": "sh", "cgroups": ["0::/docker/" + container_id]}}


def test_python_provider_fills_alert_container_fields():
    provider = ShopProvider()
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=provider)
    # process() releases the GIL; the engine takes it back to call lookup.
    alerts = engine.process([exec_in(DOCKER_ID, 77), exec_in(DOCKER_ID, 78)])
    assert [a["output"] for a in alerts] == ["sh in prod/web-0 (registry.example/shop/web, web)"] * 2
    assert alerts[0]["container"]["id"] == DOCKER_ID[:12]
    assert alerts[0]["container"]["k8sPodName"] == "web-0"
    assert provider.asked == [DOCKER_ID[:12]]  # Once per new container id.
    assert engine.metadata_failures == 0


def test_python_provider_that_raises_is_a_counted_warning():
    failing = "0badc0ffee00" + "1" * 52
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=ShopProvider())
    with pytest.warns(RuntimeWarning, match=r"lookup\('0badc0ffee00'\): ValueError: inventory "
                                            r"service unreachable"):
        alerts = engine.process([exec_in(failing, 90), exec_in(DOCKER_ID, 91)])
    # The engine went on: the other container still got its metadata.
    assert [a["container"]["id"] for a in alerts] == [DOCKER_ID[:12]]
    assert engine.metadata_failures == 1


def test_python_provider_returning_a_non_container_is_a_failure():
    class Wrong:  # Any object with lookup will do; no base class needed.
        def __init__(self, answer):
            self.answer = answer

        def lookup(self, container_id):
            return self.answer

    for answer, message in [(42, "returned int; expected a dict"),
                            ({"nme": "typo"}, "not a bulwark.runtime.v1.Container"),
                            ("{not json", "not a bulwark.runtime.v1.Container"),
                            ({"labels": {1, 2}}, "TypeError")]:
        engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=Wrong(answer))
        with pytest.warns(RuntimeWarning, match=message):
            assert engine.process([exec_in(DOCKER_ID, 5)]) == []
        assert engine.metadata_failures == 1
    json_text = Wrong(json.dumps({"name": "web", "k8sNamespace": "prod", "k8sPodName": "web-0",
                                  "k8sPodLabels": {"app": "web"}}))
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=json_text)
    assert len(engine.process([exec_in(DOCKER_ID, 5)])) == 1
    with pytest.raises(TypeError, match="lookup"):
        runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=object())


def test_python_provider_lives_as_long_as_the_engine_and_chains():
    import gc
    import weakref

    provider = ShopProvider()
    alive = weakref.ref(provider)
    chain = runtime.ChainedProvider([provider, runtime.PodListProvider.from_json(PODS)])
    engine = runtime.Engine(runtime.rules_from_string(RULES), metadata_provider=chain)
    del provider, chain
    gc.collect()
    assert alive() is not None
    alerts = engine.process([exec_in(DOCKER_ID, 7)])
    assert alerts[0]["container"]["name"] == "web"                # From the Python provider.
    assert alerts[0]["container"]["imageDigest"] == "sha256:cafe"  # From the pod list.
    assert alive().asked == [DOCKER_ID[:12]]
    del engine
    gc.collect()
    assert alive() is None
