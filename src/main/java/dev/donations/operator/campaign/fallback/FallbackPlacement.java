package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/**
 * Where the fallback's pods go: never both on one node while the cluster has another, and away from
 * the campaign's site pods when it can, so that no single node takes the site and the page.
 */
final class FallbackPlacement {

  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";

  /** The strongest preference weight: only the hard spread above it counts more. */
  static final int AWAY_FROM_SITE_WEIGHT = 100;

  private FallbackPlacement() {}

  /**
   * Over zones as the site is (never blocking), and over nodes as a rule: with {@code
   * DoNotSchedule} a second pod waits rather than join the first on its node. Nodes the pod cannot
   * go to do not count as places to spread over ({@code Honor} for node affinity and for taints),
   * so a one-node cluster, the nodes a namespace is pinned to, a cordoned node or an unreachable
   * node (tainted NoSchedule) never hold a pod back: with one eligible node the skew is always 0
   * and both pods run there. Nodes that are full still count, so a second pod stays Pending rather
   * than share a node while another node is only busy; the first pod serves meanwhile.
   */
  static List<TopologySpreadConstraint> spread(Map<String, String> selector) {
    return List.of(
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey(ZONE)
            .withWhenUnsatisfiable("ScheduleAnyway")
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
            .build(),
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey(HOSTNAME)
            .withWhenUnsatisfiable("DoNotSchedule")
            .withNodeAffinityPolicy("Honor")
            .withNodeTaintsPolicy("Honor")
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
            .build());
  }

  /**
   * Prefer nodes without this campaign's site pods: a node that fails, or a site pod that exhausts
   * its node, then leaves the page serving. Only a preference, as a small cluster may have no such
   * node.
   */
  static Affinity awayFromSite(CharityCampaign c) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(AWAY_FROM_SITE_WEIGHT)
        .withNewPodAffinityTerm()
        .withTopologyKey(HOSTNAME)
        .withNewLabelSelector()
        .withMatchLabels(CampaignLabels.selector(c, CampaignLabels.COMPONENT_SITE))
        .endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }
}
