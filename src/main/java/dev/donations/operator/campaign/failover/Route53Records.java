package dev.donations.operator.campaign.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/** The Route 53 calls of a host's two failover records; each change is one atomic change batch. */
final class Route53Records {

  private static final Logger LOG = Logger.getLogger(Route53Records.class);

  private Route53Records() {}

  /** The operator's failover records of the host, by their set identifiers. */
  static Optional<RecordsState> find(Route53Client r53, String zoneId, String host) {
    List<ResourceRecordSet> sets =
        r53
            .listResourceRecordSets(
                b ->
                    b.hostedZoneId(zoneId)
                        .startRecordName(host)
                        .startRecordType(RRType.A)
                        .maxItems("10"))
            .resourceRecordSets()
            .stream()
            .filter(r -> host.equals(Route53Settings.normalize(r.name())) && r.type() == RRType.A)
            .filter(
                r ->
                    Route53Settings.PRIMARY.equals(r.setIdentifier())
                        || Route53Settings.SECONDARY.equals(r.setIdentifier()))
            .toList();
    if (sets.isEmpty()) {
      return Optional.empty();
    }
    Optional<ResourceRecordSet> primary =
        sets.stream().filter(r -> Route53Settings.PRIMARY.equals(r.setIdentifier())).findFirst();
    Optional<ResourceRecordSet> secondary =
        sets.stream().filter(r -> Route53Settings.SECONDARY.equals(r.setIdentifier())).findFirst();
    return Optional.of(
        new RecordsState(
            new Route53Settings.Records(
                zoneId,
                host,
                primary
                    .map(
                        r ->
                            Route53Settings.normalize(
                                r.aliasTarget() == null ? null : r.aliasTarget().dnsName()))
                    .orElse(null),
                primary
                    .map(r -> r.aliasTarget() == null ? null : r.aliasTarget().hostedZoneId())
                    .orElse(null),
                primary
                    .filter(r -> r.failover() == ResourceRecordSetFailover.PRIMARY)
                    .map(ResourceRecordSet::healthCheckId)
                    .orElse(null),
                secondary
                    .filter(r -> r.failover() == ResourceRecordSetFailover.SECONDARY)
                    .map(
                        r ->
                            Route53Settings.normalize(
                                r.aliasTarget() == null ? null : r.aliasTarget().dnsName()))
                    .orElse(null),
                secondary
                    .map(r -> r.aliasTarget() == null ? null : r.aliasTarget().hostedZoneId())
                    .orElse(null)),
            sets));
  }

  /**
   * Writes both records; records of another host or zone made before (a renamed host, a moved zone)
   * go in the same batch or, for another zone, just after.
   */
  static RecordsState upsert(
      Route53Client r53, Route53Settings.Records desired, Optional<RecordsState> previous) {
    List<Change> changes = new ArrayList<>();
    boolean sameZone =
        previous.map(p -> p.settings().hostedZoneId().equals(desired.hostedZoneId())).orElse(true);
    boolean moved =
        previous.map(p -> !p.settings().host().equals(desired.host()) || !sameZone).orElse(false);
    if (moved && sameZone) {
      previous
          .get()
          .recordSets()
          .forEach(
              r ->
                  changes.add(
                      Change.builder().action(ChangeAction.DELETE).resourceRecordSet(r).build()));
    }
    List<ResourceRecordSet> sets =
        List.of(
            ResourceRecordSet.builder()
                .name(desired.host())
                .type(RRType.A)
                .setIdentifier(Route53Settings.PRIMARY)
                .failover(ResourceRecordSetFailover.PRIMARY)
                .healthCheckId(desired.healthCheckId())
                .aliasTarget(
                    a ->
                        a.hostedZoneId(desired.loadBalancerZoneId())
                            .dnsName(desired.loadBalancer())
                            .evaluateTargetHealth(false))
                .build(),
            ResourceRecordSet.builder()
                .name(desired.host())
                .type(RRType.A)
                .setIdentifier(Route53Settings.SECONDARY)
                .failover(ResourceRecordSetFailover.SECONDARY)
                .aliasTarget(
                    a ->
                        a.hostedZoneId(desired.websiteZoneId())
                            .dnsName(desired.website())
                            .evaluateTargetHealth(false))
                .build());
    sets.forEach(
        r ->
            changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(r).build()));
    r53.changeResourceRecordSets(
        b ->
            b.hostedZoneId(desired.hostedZoneId())
                .changeBatch(
                    c ->
                        c.comment("donation-operator failover for " + desired.host())
                            .changes(changes)));
    LOG.infof(
        "wrote Route 53 failover records of %s in %s (health check %s)",
        desired.host(), desired.hostedZoneId(), desired.healthCheckId());
    if (moved && !sameZone) {
      delete(r53, previous.get());
    }
    return find(r53, desired.hostedZoneId(), desired.host())
        .orElse(new RecordsState(desired, sets));
  }

  static void delete(Route53Client r53, RecordsState records) {
    r53.changeResourceRecordSets(
        b ->
            b.hostedZoneId(records.settings().hostedZoneId())
                .changeBatch(
                    c ->
                        c.comment(
                                "donation-operator failover removed for "
                                    + records.settings().host())
                            .changes(
                                records.recordSets().stream()
                                    .map(
                                        r ->
                                            Change.builder()
                                                .action(ChangeAction.DELETE)
                                                .resourceRecordSet(r)
                                                .build())
                                    .toList())));
    LOG.infof(
        "deleted Route 53 failover records of %s in %s",
        records.settings().host(), records.settings().hostedZoneId());
  }
}
