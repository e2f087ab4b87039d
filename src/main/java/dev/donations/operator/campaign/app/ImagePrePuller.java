package dev.donations.operator.campaign.app;

import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.PodSecurity;
import dev.donations.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Warm images: one DaemonSet per distinct site image across all campaigns, in the operator's
 * namespace, whose init container pulls the image on every node, so a new site pod never waits for
 * a pull. A DaemonSet goes when no campaign uses its image any more. It only writes when the set of
 * images changes.
 */
@ApplicationScoped
public class ImagePrePuller {

  public static final String COMPONENT = "image-prepull";
  private static final String SELECTOR =
      CampaignLabels.MANAGED_SELECTOR + "," + CampaignLabels.COMPONENT + "=" + COMPONENT;
  private static final Logger LOG = Logger.getLogger(ImagePrePuller.class);

  private final KubernetesClient client;
  private final OperatorConfig config;

  /** DaemonSet name by image, as last seen or applied; null until first read. */
  private Map<String, String> present;

  public ImagePrePuller(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  /** Makes the DaemonSets match exactly the given images. */
  public synchronized void sync(Set<String> images) {
    String ns = config.operatorNamespace();
    try {
      if (present == null) {
        present = new HashMap<>();
        for (DaemonSet ds :
            client
                .apps()
                .daemonSets()
                .inNamespace(ns)
                .withLabelSelector(SELECTOR)
                .list()
                .getItems()) {
          present.put(
              ds.getMetadata().getAnnotations().get(CampaignLabels.PREPULL_IMAGE_ANNOTATION),
              ds.getMetadata().getName());
        }
      }
      for (String image : new TreeMap<>(Map.copyOf(present)).keySet()) {
        if (!images.contains(image)) {
          client.apps().daemonSets().inNamespace(ns).withName(present.get(image)).delete();
          present.remove(image);
          LOG.infof("no campaign uses %s any more; removed its pre-pull DaemonSet", image);
        }
      }
      for (String image : images) {
        if (!present.containsKey(image)) {
          DaemonSet ds =
              client
                  .resource(desired(ns, image, config.images().pause()))
                  .fieldManager("donation-operator")
                  .forceConflicts()
                  .serverSideApply();
          present.put(image, ds.getMetadata().getName());
          LOG.infof("pre-pulling %s on every node", image);
        }
      }
    } catch (KubernetesClientException e) {
      // Forget what we knew, so the next sync reads the truth again.
      present = null;
      LOG.warnf("could not sync image pre-pull DaemonSets in %s: %s", ns, e.getMessage());
    }
  }

  public static String name(String image) {
    return "prepull-" + CampaignNames.shortHash(image, 12);
  }

  public static DaemonSet desired(String namespace, String image, String pauseImage) {
    Map<String, String> selector =
        Map.of(
            CampaignLabels.NAME,
            COMPONENT,
            CampaignLabels.PREPULL_LABEL,
            CampaignNames.shortHash(image, 12));
    Map<String, String> labels = new HashMap<>(selector);
    labels.put(CampaignLabels.COMPONENT, COMPONENT);
    labels.put(CampaignLabels.MANAGED_BY, CampaignLabels.OPERATOR);
    labels.put(CampaignLabels.PART_OF, CampaignLabels.PRODUCT);
    Map<String, Quantity> tiny = Map.of("cpu", new Quantity("1m"), "memory", new Quantity("8Mi"));
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name(image))
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(Map.of(CampaignLabels.PREPULL_IMAGE_ANNOTATION, image))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(PodSecurity.restrictedPod(HeadroomDeployment.PAUSE_UID))
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        // The pull is the point: the init container runs the site image and exits at once.
        .addNewInitContainer()
        .withName("pull")
        .withImage(image)
        .withCommand("sh", "-c", "exit 0")
        .withNewResources()
        .withRequests(tiny)
        .withLimits(Map.of("memory", new Quantity("32Mi")))
        .endResources()
        .withSecurityContext(PodSecurity.restrictedContainer(true))
        .endInitContainer()
        .addNewContainer()
        .withName("pause")
        .withImage(pauseImage)
        .withNewResources()
        .withRequests(tiny)
        .withLimits(Map.of("memory", new Quantity("16Mi")))
        .endResources()
        .withSecurityContext(PodSecurity.restrictedContainer(true))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
