package dev.donations.operator.realnode;

import dev.donations.operator.testbed.LocalCluster;
import java.time.Duration;
import java.util.List;

/**
 * hack/gateway/traefik.sh from the tests: Traefik v3.7.13, a real Gateway API implementation, on
 * the real node's host with the Gateway donation-gateway/traefik listening on 127.0.0.1.
 */
final class TraefikGateway {

  static final String NAMESPACE = "donation-gateway";
  static final String NAME = "traefik";

  private TraefikGateway() {}

  /**
   * Starts Traefik (building it when missing) and waits until its Gateway is Programmed; returns
   * its port.
   */
  static int start(LocalCluster cluster) throws Exception {
    String out = Processes.run(Duration.ofMinutes(10), List.of(script(cluster), "up"));
    String[] lines = out.trim().split("\n");
    return Integer.parseInt(lines[lines.length - 1].trim());
  }

  static void stop(LocalCluster cluster) {
    if (cluster == null) {
      return;
    }
    try {
      Processes.run(Duration.ofSeconds(60), List.of(script(cluster), "down"));
    } catch (Exception e) {
      System.err.println("could not stop Traefik: " + e);
    }
  }

  private static String script(LocalCluster cluster) {
    return cluster.repo().resolve("hack/gateway/traefik.sh").toString();
  }
}
