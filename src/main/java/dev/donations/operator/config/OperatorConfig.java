package dev.donations.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Operator settings from application.properties, environment variables or the Helm chart. */
@ConfigMapping(prefix = "donation")
public interface OperatorConfig {

  /** Images used when a CampaignClass does not name one. */
  Images images();

  /** How the operator reaches AWS. */
  Aws aws();

  /** What the site pods look like beyond the campaign spec. */
  Site site();

  /** How often AWS resources are described. */
  Polling polling();

  /** Leader election between the operator's replicas. */
  LeaderElection leaderElection();

  /** How routes follow the site's readiness. */
  Routing routing();

  /** Namespace of the operator, where the image pre-pull DaemonSets and the leader Lease live. */
  @WithDefault("donation-operator")
  String operatorNamespace();

  /**
   * Leader election on a Lease in the operator's namespace: one replica reconciles, the others keep
   * warm caches and take over when the leader's lease runs out. Active in the prod and test
   * profiles.
   */
  interface LeaderElection {
    /** Name of the Lease. */
    @WithDefault("donation-operator")
    String leaseName();

    /**
     * This replica's name in the Lease; defaults to the pod name (POD_NAME), else host name and
     * process id.
     */
    Optional<String> identity();

    /**
     * How long a lease is valid without renewal: the longest a crashed leader blocks its successor.
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up and exits. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire, and the leader renews. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Default images. */
  interface Images {
    /** nginx image of the fallback backend; must run as non-root on port 8080. */
    String nginx();

    /**
     * Image of placeholder containers (headroom pods, pre-pull DaemonSets): does nothing, as
     * non-root.
     */
    String pause();
  }

  /** AWS client settings. */
  interface Aws {
    /**
     * Endpoint of an AWS emulator for every service (tests, the local demo); unset talks to AWS.
     */
    Optional<URI> endpointOverride();

    /**
     * Attempts per AWS call, with the SDK's adaptive retry; AWS's default of 3 is too few under
     * throttling.
     */
    @WithDefault("10")
    int maxAttempts();
  }

  /** Site pod settings. */
  interface Site {
    /** Where the shared EFS volume is mounted: Bedrock's uploads folder. */
    @WithDefault("/var/www/html/web/app/uploads")
    String uploadsPath();

    /** Port the site image listens on as a non-root user. */
    @WithDefault("8080")
    int port();

    /** CPU request of a site pod. */
    @WithDefault("250m")
    String cpuRequest();

    /** Memory request and limit of a site pod. */
    @WithDefault("512Mi")
    String memory();

    /** User and group id of the web server in the site image (www-data in Debian-based images). */
    @WithDefault("33")
    long runAsUser();
  }

  /** Polling periods for AWS state. */
  interface Polling {
    /** While something is being created or deleted. */
    @WithDefault("10s")
    Duration provisioning();

    /**
     * Once everything is available: how old the shared listing of DB instances, parameter groups,
     * file systems and access points may get (one paged listing per service and region, for all
     * campaigns); drift of those is noticed within this period.
     */
    @WithDefault("5m")
    Duration steady();

    /**
     * How often a settled resource that no shared listing covers is described on its own: the
     * fallback bucket and its page, a parameter group's max_connections, failover resources. Also
     * how long a resource found absent, and not created by the operator since, counts as absent
     * without another describe (a create replaces that observation at once). And how long the CIDR
     * blocks of a class's DB subnet group, which the site's NetworkPolicy allows, are used before
     * they are looked up again.
     */
    @WithDefault("1h")
    Duration drift();
  }

  /** Routes and the fallback switch. */
  interface Routing {
    /**
     * How long the site must have ready endpoints again before the route leaves the fallback; going
     * to the fallback is immediate. 10 s: under 1,600 donations a minute, every site pod killed
     * kept donors on the fallback page for 38 s after the first pod was ready again with 30 s (each
     * second about 27 donations); a pod is ready only after its readiness probe passed, and a pod
     * that fails it again needs three failed probes (15 s) to leave, so the route still moves at
     * most once per 10 s (docs/faults.md).
     */
    @WithDefault("10s")
    Duration fallbackHoldDown();
  }
}
