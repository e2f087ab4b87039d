"""render.py: the stand-in sends requests to the ready endpoints, retries a failed connection on the next
one, and gives the default backend's page when the site has none."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402

ANNOTATIONS = {render.DEFAULT_BACKEND: "c-fallback", render.CUSTOM_ERRORS: "500,502,503,504"}


def ingress(backend="c-site"):
    return {"metadata": {"namespace": "ns", "name": "c", "annotations": ANNOTATIONS},
            "spec": {"rules": [{"host": "c.local", "http": {"paths": [
                {"path": "/", "backend": {"service": {"name": backend, "port": {"number": 80}}}}]}}]}}


def service(name):
    return {"metadata": {"namespace": "ns", "name": name},
            "spec": {"clusterIP": "10.96.0.9", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}


def slice_of(name, *endpoints):
    return {"metadata": {"namespace": "ns", "name": name + "-x", "labels": {"kubernetes.io/service-name": name}},
            "ports": [{"name": "http", "port": 8080}],
            "endpoints": [{"addresses": [ip], "conditions": {"ready": ready}} for ip, ready in endpoints]}


SERVICES = [service("c-site"), service("c-fallback")]


class RenderTest(unittest.TestCase):
    def test_requests_go_to_ready_endpoints_and_a_failed_connection_to_the_next(self):
        conf = render.render([ingress()], SERVICES, [
            slice_of("c-site", ("10.88.1.5", True), ("10.88.2.5", True), ("10.88.3.5", False)),
            slice_of("c-fallback", ("10.88.1.9", True), ("10.88.3.9", True))], 8000)
        self.assertIn("server 10.88.1.5:8080", conf)
        self.assertIn("server 10.88.2.5:8080", conf)
        self.assertNotIn("10.88.3.5", conf, "a pod that is not ready gets no request")
        self.assertNotIn("10.96.0.9", conf, "endpoints, not the cluster IP")
        self.assertIn("proxy_next_upstream error timeout;", conf)
        self.assertIn("server 10.88.3.9:8080", conf, "the fallback's pods too: one on a dead node is passed over")
        self.assertLess(conf.index("upstream ns_c_site_80"), conf.index("server_name c.local"))
        self.assertIn("error_page 500 502 503 504 = @fallback;", conf)

    def test_a_site_without_ready_endpoints_answers_503_which_the_fallback_page_replaces(self):
        conf = render.render([ingress()], SERVICES, [
            slice_of("c-site", ("10.88.1.5", False)), slice_of("c-fallback", ("10.88.1.9", True))], 8000)
        self.assertIn("return 503;", conf)
        self.assertIn("location @fallback", conf)


    def test_the_ingress_proxy_annotations_apply_to_the_site_and_the_fallback(self):
        ing = ingress()
        ing["metadata"]["annotations"] = dict(ANNOTATIONS, **{
            "nginx.ingress.kubernetes.io/proxy-connect-timeout": "2",
            "nginx.ingress.kubernetes.io/proxy-next-upstream-tries": "3",
            "nginx.ingress.kubernetes.io/proxy-next-upstream-timeout": "6"})
        conf = render.render([ing], SERVICES, [
            slice_of("c-site", ("10.88.1.5", True)), slice_of("c-fallback", ("10.88.1.9", True))], 8000)
        self.assertEqual(conf.count("proxy_connect_timeout 2s;"), 2)
        self.assertEqual(conf.count("proxy_next_upstream_timeout 6s;"), 2)
        self.assertIn("proxy_next_upstream_tries 3;", conf)


if __name__ == "__main__":
    unittest.main()
