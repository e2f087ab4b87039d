package dev.donations.operator.realnode;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The real node of the test bed (hack/real-node.sh) from the tests' side. */
final class RealNode {

  /** The first real node; the test bed names them real-node-1 to real-node-3. */
  static final String NAME = "real-node-1";

  /** The names of the real nodes. */
  static final String NAMES = "real-node-[1-3]";

  static final String LABEL = "donations.dev/node=real";
  static final String TAINT = "donations.dev/real-node";

  private RealNode() {}

  /**
   * A tenant namespace that enforces Pod Security "restricted" and whose pods all go to the real
   * node: the API server's PodNodeSelector and PodTolerationRestriction plugins add the selector
   * and the toleration, so the operator's objects stay exactly as it writes them.
   */
  static void namespace(KubernetesClient client, String name) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToAnnotations("scheduler.alpha.kubernetes.io/node-selector", LABEL)
                .addToAnnotations(
                    "scheduler.alpha.kubernetes.io/defaultTolerations",
                    "[{\"key\":\""
                        + TAINT
                        + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]")
                .endMetadata()
                .build())
        .serverSideApply();
  }

  /**
   * Runs a command in a pod's first container and returns its standard output; fails on a non-zero
   * exit.
   */
  static String exec(KubernetesClient client, Pod pod, String... command) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .writingOutput(out)
            .writingError(err)
            .exec(command)) {
      int code = watch.exitCode().get(60, TimeUnit.SECONDS);
      if (code != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited "
                + code
                + ": "
                + err.toString(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
