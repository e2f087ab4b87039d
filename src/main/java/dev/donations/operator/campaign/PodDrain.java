package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;

/**
 * How a campaign's web server pod stops without resetting a donor's connection: it keeps serving
 * for a pause after it is told to stop, then its web server finishes the requests in flight.
 */
public final class PodDrain {

  /**
   * Seconds a stopping pod keeps serving before its web server is signalled. The pod is marked
   * terminating and its endpoint is removed at the same moment the kubelet starts stopping it; the
   * EndpointSlice change then has to reach kube-proxy on every node and the proxies (the ingress
   * controller's or the Gateway's upstream lists), each through its own watch. Until it has, new
   * requests still arrive, and a web server that already closed its socket would reset them. A few
   * seconds covers that propagation in a healthy cluster, and 5 s is the common choice. Longer only
   * delays every roll-out and scale-in by as much.
   */
  public static final long PAUSE_SECONDS = 5;

  private PodDrain() {}

  /**
   * The pause as a {@code preStop} hook: Kubernetes's own sleep action (GA since 1.34), so it needs
   * no shell or {@code sleep} binary in the image.
   */
  public static Lifecycle preStop() {
    return new LifecycleBuilder()
        .withNewPreStop()
        .withNewSleep()
        .withSeconds(PAUSE_SECONDS)
        .endSleep()
        .endPreStop()
        .build();
  }

  /**
   * The pod's {@code terminationGracePeriodSeconds}: the pause, then the time its web server needs
   * after the image's stop signal. The grace period counts from the start of the {@code preStop}
   * hook, so a server stop longer than the default 30 s minus the pause would be cut short.
   */
  public static long gracePeriodSeconds(long serverStopSeconds) {
    return PAUSE_SECONDS + serverStopSeconds;
  }
}
