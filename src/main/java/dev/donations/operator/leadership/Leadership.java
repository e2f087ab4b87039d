package dev.donations.operator.leadership;

import dev.donations.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Which replica reconciles. JOSDK runs the election on a Lease: every replica starts its informers,
 * and only the holder of the Lease processes events. When the holder cannot renew it exits, so two
 * replicas never reconcile at once; a crashed holder is replaced once its lease runs out. This bean
 * configures the election and remembers what this replica knows of it, for health checks, metrics
 * and the once-per-leader start-up work ({@link Acquired}).
 */
@Singleton
public class Leadership {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** Fired once, when this replica becomes the leader and starts reconciling. */
  public record Acquired(String identity) {}

  private final String identity;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicReference<String> holder = new AtomicReference<>();
  private final Event<Acquired> acquired;
  private volatile boolean shuttingDown;
  private final KubernetesClient client;
  private final String leaseName;
  private final String leaseNamespace;

  /** 1 on the replica that leads, 0 on standbys: which pod to read logs from. */
  public static final String LEADER_METRIC = "donation.operator.leader";

  Leadership(
      OperatorConfig config,
      Event<Acquired> acquired,
      MeterRegistry registry,
      KubernetesClient client) {
    this.identity =
        config
            .leaderElection()
            .identity()
            .or(() -> env("POD_NAME"))
            .orElseGet(Leadership::hostAndPid);
    this.acquired = acquired;
    this.client = client;
    this.leaseName = config.leaderElection().leaseName();
    this.leaseNamespace = config.operatorNamespace();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shuttingDown = true, "leadership-shutdown"));
    Gauge.builder(LEADER_METRIC, leading, l -> l.get() ? 1 : 0)
        .description(
            "Whether this replica holds the leader Lease and reconciles (1) or stands by (0)")
        .register(registry);
  }

  @Produces
  @Singleton
  LeaderElectionConfiguration configuration(OperatorConfig config) {
    OperatorConfig.LeaderElection election = config.leaderElection();
    return new LeaderElectionConfiguration(
        election.leaseName(),
        config.operatorNamespace(),
        election.leaseDuration(),
        election.renewDeadline(),
        election.retryPeriod(),
        identity,
        new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader),
        // We exit ourselves (see stoppedLeading): JOSDK's exit would also run during a clean
        // shutdown,
        // where System.exit blocks the shutdown hook until the kubelet kills the pod.
        false);
  }

  /**
   * Without an election (the dev profile) this replica is the only one, and leads from the start.
   */
  void leadWithoutElection(
      @Observes StartupEvent start, ConfigurationService operatorConfiguration) {
    if (operatorConfiguration.getLeaderElectionConfiguration().isEmpty()) {
      newLeader(identity);
      startedLeading();
    }
  }

  public String identity() {
    return identity;
  }

  /** Whether this replica holds the Lease and reconciles. */
  public boolean leading() {
    return leading.get();
  }

  /** The holder of the Lease as last seen by this replica, if any. */
  public Optional<String> holder() {
    return Optional.ofNullable(holder.get());
  }

  void startedLeading() {
    if (leading.compareAndSet(false, true)) {
      LOG.infof("%s is now the leader and reconciles campaigns", identity);
      // Asynchronously: this runs inside the elector's acquire step, before JOSDK starts processing
      // events and before the first renew; start-up work must not hold that up.
      acquired.fireAsync(new Acquired(identity));
    }
  }

  void stoppedLeading() {
    leading.set(false);
    if (shuttingDown) {
      handBack();
      return;
    }
    // The lease could not be renewed in time: another replica may lead already, so stop reconciling
    // at
    // once. Exit from another thread: the elector calls this holding its own lock.
    LOG.errorf(
        "%s lost the leader Lease; exiting so that only the new leader reconciles", identity);
    new Thread(() -> System.exit(1), "lost-leadership-exit").start();
  }

  /**
   * A clean stop gives the Lease up, as client-go's ReleaseOnCancel does, so that a standby takes
   * over at once instead of after the lease duration: a rolling update then has no gap in
   * reconciling. JOSDK 5.3.2 does not ask fabric8 to release it. The elector has stopped renewing
   * by now.
   */
  private void handBack() {
    try {
      Lease lease = client.leases().inNamespace(leaseNamespace).withName(leaseName).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      // An update carries the resourceVersion just read: if the lease ran out and another replica
      // took
      // it meanwhile, this fails with a conflict instead of taking the Lease from the new leader.
      client.resource(lease).update();
      LOG.infof("%s stopped leading and handed the Lease back", identity);
    } catch (RuntimeException e) {
      LOG.warnf(
          "%s could not hand the Lease back; a standby takes over when it runs out: %s",
          identity, e.getMessage());
    }
  }

  /**
   * Before the operator stops: its election then ends on purpose, and is no reason to exit(1). Set
   * from a JVM shutdown hook as well, in case the operator is stopped from one before Quarkus's
   * event.
   */
  void shuttingDown(@Observes @Priority(1) ShutdownEvent shutdown) {
    shuttingDown = true;
  }

  void newLeader(String leader) {
    holder.set(leader);
    if (leader == null) {
      LOG.infof("the Lease is free; %s tries to take it", identity);
    } else if (!identity.equals(leader)) {
      LOG.infof("%s is the leader; %s stands by", leader, identity);
    }
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  /** Unique per process on one machine, so two local replicas never share an identity. */
  private static String hostAndPid() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
