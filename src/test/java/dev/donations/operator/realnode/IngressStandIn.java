package dev.donations.operator.realnode;

import dev.donations.operator.testbed.LocalCluster;
import java.time.Duration;
import java.util.List;

/**
 * hack/ingress/standin.sh from the tests: nginx on 127.0.0.1 configured from the cluster's
 * Ingresses with ingress-nginx's meaning of the operator's default-backend and custom-http-errors
 * annotations.
 */
final class IngressStandIn {

  private IngressStandIn() {}

  /** Renders the current Ingresses and starts (or reloads) the stand-in; returns its port. */
  static int start(LocalCluster cluster) throws Exception {
    String out =
        Processes.run(
            Duration.ofSeconds(60),
            List.of(cluster.repo().resolve("hack/ingress/standin.sh").toString(), "up"));
    return Integer.parseInt(out.trim());
  }

  static void stop(LocalCluster cluster) {
    if (cluster == null) {
      return;
    }
    try {
      Processes.run(
          Duration.ofSeconds(30),
          List.of(cluster.repo().resolve("hack/ingress/standin.sh").toString(), "down"));
    } catch (Exception e) {
      System.err.println("could not stop the ingress stand-in: " + e);
    }
  }
}
