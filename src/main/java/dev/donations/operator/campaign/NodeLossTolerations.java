package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;

/**
 * How long the site's and the fallback's pods stay bound to a node that stopped answering. The node
 * controller taints such a node {@code node.kubernetes.io/unreachable} (or {@code not-ready} when
 * its kubelet says so) with effect NoExecute once the node has been silent for its grace period; a
 * pod is then evicted, and its Deployment replaces it elsewhere, after the pod's toleration of that
 * taint runs out. Without tolerations of its own a pod gets 300 s from the DefaultTolerationSeconds
 * admission plugin: five minutes of a broadcast with a pod short.
 */
public final class NodeLossTolerations {

  /**
   * Seconds a pod waits on a lost node before it is replaced. Short, as the site's and fallback's
   * pods keep no state and start in seconds; not zero, so a kubelet restart or a network blip of a
   * few seconds, after which the taint goes again, does not replace every pod of the node at once.
   */
  public static final long SECONDS = 30;

  static final List<String> TAINTS =
      List.of("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");

  private NodeLossTolerations() {}

  /**
   * One toleration per taint, NoExecute only: the NoSchedule taints of the same keys still keep new
   * pods off the node. Present, they also keep the admission plugin from adding its 300 s.
   */
  public static List<Toleration> tolerations() {
    return TAINTS.stream()
        .map(
            key ->
                new TolerationBuilder()
                    .withKey(key)
                    .withOperator("Exists")
                    .withEffect("NoExecute")
                    .withTolerationSeconds(SECONDS)
                    .build())
        .toList();
  }
}
