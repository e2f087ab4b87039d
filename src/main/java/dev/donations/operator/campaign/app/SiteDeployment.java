package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.NodeLossTolerations;
import dev.donations.operator.campaign.PodDrain;
import dev.donations.operator.campaign.PodSecurity;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.SiteDefaults;
import dev.donations.operator.campaign.UpdateFilters;
import dev.donations.operator.campaign.database.DatabaseSecret;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The WordPress (Bedrock) Deployment: configuration through Bedrock's environment variables, the
 * shared uploads volume, probes, requests, the restricted security context, and spread across zones
 * and nodes.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.DeploymentReadiness.class,
            name = SiteDeployment.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteDeployment extends CampaignDependent<Deployment> {

  public static final String NAME = "site-deployment";
  static final String CONTAINER = "wordpress";
  static final String UPLOADS_VOLUME = "uploads";
  static final String WORKERS_VOLUME = "workers";
  static final String TMP_VOLUME = "tmp";

  /**
   * The site image's health endpoints (docs/site-image.md): PHP and the database, and PHP alone.
   */
  public static final String READY_PATH = "/healthz";

  public static final String LIVE_PATH = "/livez";

  /**
   * Seconds the site image's web server needs to stop after its stop signal: Apache's
   * GracefulShutdownTimeout (25 s, docs/site-image.md) lets requests in flight finish on SIGWINCH,
   * then 5 s for Apache to end what is left and exit before the kubelet's SIGKILL.
   */
  static final long SERVER_STOP_SECONDS = 25 + 5;

  public SiteDeployment() {
    super(Deployment.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected Deployment desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign);
  }

  /**
   * Applies the Deployment, then keeps its replica count inside the range in force through the
   * scale subresource, as the HPA does. The applied object never names replicas, so the operator
   * and the autoscaler never take that field from each other and a steady site costs no write.
   */
  @Override
  public ReconcileResult<Deployment> reconcile(
      CharityCampaign primary, Context<CharityCampaign> context) {
    ReconcileResult<Deployment> result = super.reconcile(primary, context);
    result
        .getSingleResource()
        .ifPresent(
            d -> {
              Integer current = d.getSpec() == null ? null : d.getSpec().getReplicas();
              int wanted = replicas(resolved(context).scaling(), current);
              if (current == null || current != wanted) {
                context
                    .getClient()
                    .apps()
                    .deployments()
                    .inNamespace(d.getMetadata().getNamespace())
                    .withName(d.getMetadata().getName())
                    .scale(wanted);
              }
            });
    return result;
  }

  /** The Deployment of a campaign, without a replica count (see {@link #reconcile}). */
  static Deployment build(ResolvedCampaign campaign) {
    CharityCampaign c = campaign.campaign();
    SiteDefaults pods = campaign.site().pods();
    Map<String, String> selector = CampaignLabels.selector(c, CampaignLabels.COMPONENT_SITE);
    return new DeploymentBuilder()
        .withMetadata(
            CampaignDependent.standardMetadata(
                c, CampaignNames.site(c), CampaignLabels.COMPONENT_SITE))
        .withNewSpec()
        .withRevisionHistoryLimit(5)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString("25%"))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(CampaignLabels.of(c, CampaignLabels.COMPONENT_SITE))
        .withAnnotations(
            Map.of(
                CampaignLabels.WORKERS_ANNOTATION,
                String.valueOf(campaign.scaling().workersPerPod())))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodSecurity.restrictedPod(pods.runAsUser()))
        .withTopologySpreadConstraints(PodSecurity.spread(selector))
        .withTolerations(NodeLossTolerations.tolerations())
        .withTerminationGracePeriodSeconds(PodDrain.gracePeriodSeconds(SERVER_STOP_SECONDS))
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(campaign.site().image())
        .addNewPort()
        .withName("http")
        .withContainerPort(pods.sitePort())
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(campaign))
        .withNewResources()
        .withRequests(
            Map.of("cpu", new Quantity(pods.cpuRequest()), "memory", new Quantity(pods.memory())))
        .withLimits(Map.of("memory", new Quantity(pods.memory())))
        .endResources()
        // The image's install step runs before the web server listens: the startup probe waits for
        // it.
        .withStartupProbe(httpProbe(LIVE_PATH, 2, 90))
        // Ready only when PHP answers and the database takes a connection with the Secret's
        // credentials.
        .withReadinessProbe(httpProbe(READY_PATH, 5, 3))
        // Alive as long as PHP answers: a database outage must not restart every pod at once.
        .withLivenessProbe(httpProbe(LIVE_PATH, 10, 6))
        // Serves on until every proxy has dropped the pod, then Apache stops gracefully.
        .withLifecycle(PodDrain.preStop())
        // Read-only root: the image writes only to /tmp and the uploads volume
        // (docs/site-image.md).
        .withSecurityContext(PodSecurity.restrictedContainer(true))
        .addNewVolumeMount()
        .withName(UPLOADS_VOLUME)
        .withMountPath(pods.uploadsPath())
        .endVolumeMount()
        .addNewVolumeMount()
        .withName(TMP_VOLUME)
        .withMountPath("/tmp")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName(WORKERS_VOLUME)
        .withMountPath(SiteConfig.mountPath(campaign.site().flavour()))
        .withSubPath(SiteConfig.KEY)
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName(UPLOADS_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(CampaignNames.uploadsClaim(c))
        .endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume()
        .withName(TMP_VOLUME)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("256Mi"))
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName(WORKERS_VOLUME)
        .withNewConfigMap()
        .withName(CampaignNames.siteConfig(c))
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The autoscaler moves the replica count between min and max; the operator only keeps it inside
   * that range, so it neither fights the autoscaler nor leaves the site below its floor when
   * metrics are missing.
   */
  static int replicas(ResolvedCampaign.Scaling range, Integer current) {
    int floor = range.minReplicas();
    int ceiling = range.maxReplicas();
    int value = current == null ? floor : current;
    return Math.max(floor, Math.min(ceiling, value));
  }

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(3)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  static List<EnvVar> env(ResolvedCampaign campaign) {
    CharityCampaign c = campaign.campaign();
    String dbSecret = CampaignNames.databaseSecret(c);
    String salts = CampaignNames.saltsSecret(c);
    String scheme = c.getSpec().site.tlsSecretName != null ? "https" : "http";
    String home = scheme + "://" + campaign.site().host();
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("WP_ENV", "production"));
    env.add(plain("WP_HOME", home));
    env.add(plain("WP_SITEURL", home + "/wp"));
    env.add(plain("WEB_WORKERS", String.valueOf(campaign.scaling().workersPerPod())));
    env.add(fromSecret("DB_HOST", dbSecret, DatabaseSecret.HOST));
    env.add(fromSecret("DB_PORT", dbSecret, DatabaseSecret.PORT));
    env.add(fromSecret("DB_NAME", dbSecret, DatabaseSecret.DATABASE));
    env.add(fromSecret("DB_USER", dbSecret, DatabaseSecret.USERNAME));
    env.add(fromSecret("DB_PASSWORD", dbSecret, DatabaseSecret.PASSWORD));
    for (String key : SaltsSecret.KEYS) {
      env.add(fromSecret(key, salts, key));
    }
    // For the image's install step, which installs WordPress into a new, empty database.
    String admin = CampaignNames.adminSecret(c);
    env.add(plain("WP_TITLE", title(c)));
    env.add(fromSecret("WP_ADMIN_USER", admin, AdminSecret.USERNAME));
    env.add(fromSecret("WP_ADMIN_PASSWORD", admin, AdminSecret.PASSWORD));
    env.add(plain("WP_ADMIN_EMAIL", "admin@" + campaign.site().host()));
    c.getSpec().site.env.forEach(e -> env.add(plain(e.name, e.value)));
    return env;
  }

  static String title(CharityCampaign c) {
    if (c.getSpec().site.title != null && !c.getSpec().site.title.isBlank()) {
      return c.getSpec().site.title;
    }
    return c.getMetadata().getName();
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
