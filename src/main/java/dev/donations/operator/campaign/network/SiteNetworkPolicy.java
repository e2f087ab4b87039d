package dev.donations.operator.campaign.network;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.database.DatabaseInstance;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WordPress pods: in from the ingress controller only; out to DNS, to the database's port on the
 * subnets of the class's DB subnet group only, and HTTPS only to the blocks the class lists
 * (payment providers).
 *
 * <p>No NFS rule: the pods never open NFS connections. The uploads volume is an EFS CSI volume,
 * mounted by the node's CSI plugin (efs-csi-node, on the host network) into the kubelet's pod
 * directory; the pod only sees files, and a NetworkPolicy, which selects pods, neither sees nor
 * needs to allow that traffic (the mount targets' security groups admit the nodes). A TCP 2049 rule
 * would only let the pods reach every NFS server in the VPC.
 *
 * <p>While the subnets are unknown (the look-up failed; NetworkReady says why) the rule is never
 * widened to any address: a new policy is written without database egress, and an existing one is
 * left exactly as it is, so that a failing AWS call neither opens the database rule nor cuts
 * running sites off their database.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteNetworkPolicy.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteNetworkPolicy extends CampaignDependent<NetworkPolicy> {

  public static final String NAME = "site-network-policy";

  public SiteNetworkPolicy() {
    super(NetworkPolicy.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected NetworkPolicy desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return policy(
        campaign,
        databasePort(campaign, context.getSecondaryResource(DatabaseInstance.class)),
        subnets(context));
  }

  /** Leaves a live policy untouched while the database's subnets are unknown. */
  @Override
  public Matcher.Result<NetworkPolicy> match(
      NetworkPolicy actual, CharityCampaign primary, Context<CharityCampaign> context) {
    if (subnets(context).destinations().isEmpty()) {
      return Matcher.Result.nonComputed(true);
    }
    return super.match(actual, primary, context);
  }

  /** The policy for a database on {@code databasePort} in the looked-up subnets. Pure. */
  static NetworkPolicy policy(ResolvedCampaign campaign, int databasePort, SubnetLookup subnets) {
    CharityCampaign c = campaign.campaign();
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(CampaignNetworkPolicies.dns());
    subnets
        .destinations()
        .filter(cidrs -> !cidrs.isEmpty())
        .ifPresent(cidrs -> egress.add(CampaignNetworkPolicies.tcpTo(databasePort, cidrs)));
    if (!campaign.site().httpsEgressCidrs().isEmpty()) {
      egress.add(CampaignNetworkPolicies.https(campaign.site().httpsEgressCidrs()));
    }
    return new NetworkPolicyBuilder()
        .withMetadata(
            CampaignDependent.standardMetadata(
                c, CampaignNames.site(c), CampaignLabels.COMPONENT_SITE))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(CampaignLabels.selector(c, CampaignLabels.COMPONENT_SITE))
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .withIngress(
            CampaignNetworkPolicies.fromProxies(
                campaign.site().routing(), campaign.site().pods().sitePort()))
        .withEgress(egress)
        .endSpec()
        .build();
  }

  /**
   * The port the database listens on: as RDS reports the instance's endpoint, else as last recorded
   * in status, else (before the instance has an endpoint) the engine's default. Site pods start
   * only once the database is available, by which time the endpoint is known.
   */
  static int databasePort(ResolvedCampaign campaign, Optional<DatabaseInstance> observed) {
    return observed
        .map(DatabaseInstance::port)
        .or(
            () ->
                Optional.ofNullable(campaign.campaign().getStatus())
                    .map(s -> s.database)
                    .map((CharityCampaignStatus.DatabaseStatus d) -> d.port))
        .orElseGet(() -> CampaignNetworkPolicies.defaultPort(campaign.database().engine()));
  }

  private static SubnetLookup subnets(Context<CharityCampaign> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(SubnetLookup.CONTEXT_KEY, SubnetLookup.class);
  }
}
