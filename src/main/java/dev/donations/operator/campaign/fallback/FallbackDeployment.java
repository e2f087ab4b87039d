package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.NodeLossTolerations;
import dev.donations.operator.campaign.PodDrain;
import dev.donations.operator.campaign.PodSecurity;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.UpdateFilters;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * Two nginx pods that answer every request with the fallback page and 503, on two nodes where the
 * cluster has them ({@link FallbackPlacement}). They run with a read-only root file system; the
 * page's hash is in the pod template, so a new page rolls the pods.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.DeploymentReadiness.class,
            name = FallbackDeployment.NAME,
            labelSelector = CampaignLabels.FALLBACK_SELECTOR))
public class FallbackDeployment extends CampaignDependent<Deployment> {

  public static final String NAME = "fallback-deployment";
  public static final int REPLICAS = 2;

  /** nginx-unprivileged's user. */
  static final long NGINX_UID = 101;

  /**
   * Seconds nginx needs to stop after its stop signal: SIGQUIT lets requests in flight finish and
   * nginx sets no limit of its own (the image sets no worker_shutdown_timeout), so this is the
   * limit. The page is a few kilobytes; 10 s covers a slow phone.
   */
  static final long SERVER_STOP_SECONDS = 10;

  public FallbackDeployment() {
    super(Deployment.class, CampaignLabels.COMPONENT_FALLBACK);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.fallback(campaign);
  }

  @Override
  protected Deployment desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    Map<String, String> selector = CampaignLabels.selector(c, CampaignLabels.COMPONENT_FALLBACK);
    return new DeploymentBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withReplicas(REPLICAS)
        .withRevisionHistoryLimit(3)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(CampaignLabels.of(c, CampaignLabels.COMPONENT_FALLBACK))
        .withAnnotations(
            Map.of(
                CampaignLabels.PAGE_HASH_ANNOTATION, PageDigest.sha256(campaign.fallback().html())))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodSecurity.restrictedPod(NGINX_UID))
        .withTopologySpreadConstraints(FallbackPlacement.spread(selector))
        .withAffinity(FallbackPlacement.awayFromSite(c))
        .withTolerations(NodeLossTolerations.tolerations())
        .withTerminationGracePeriodSeconds(PodDrain.gracePeriodSeconds(SERVER_STOP_SECONDS))
        .addNewContainer()
        .withName("nginx")
        .withImage(campaign.fallback().nginxImage())
        .addNewPort()
        .withName("http")
        .withContainerPort(FallbackNginxConfig.PORT)
        .withProtocol("TCP")
        .endPort()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("32Mi")))
        .withLimits(Map.of("memory", new Quantity("64Mi")))
        .endResources()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/healthz")
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(5)
        .endReadinessProbe()
        .withNewLivenessProbe()
        .withNewHttpGet()
        .withPath("/healthz")
        .withPort(new IntOrString("http"))
        .endHttpGet()
        .withPeriodSeconds(10)
        .endLivenessProbe()
        // Serves on until every proxy has dropped the pod, then nginx stops gracefully.
        .withLifecycle(PodDrain.preStop())
        .withSecurityContext(PodSecurity.restrictedContainer(true))
        .addNewVolumeMount()
        .withName("page")
        .withMountPath(FallbackNginxConfig.PAGE_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath("/etc/nginx/conf.d")
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("page")
        .withNewConfigMap()
        .withName(CampaignNames.fallback(c))
        .withItems(
            new KeyToPathBuilder()
                .withKey(FallbackPageConfigMap.PAGE_KEY)
                .withPath("index.html")
                .build())
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName(CampaignNames.fallback(c))
        .withItems(
            new KeyToPathBuilder()
                .withKey(FallbackPageConfigMap.NGINX_KEY)
                .withPath("default.conf")
                .build())
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("16Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
