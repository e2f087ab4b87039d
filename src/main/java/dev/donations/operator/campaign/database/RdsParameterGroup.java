package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignStatusFacts;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The campaign's own DB parameter group, with max_connections sized by the connection budget
 * instead of RDS's default group: the trap the talk's team fell into. max_connections is dynamic,
 * so a change applies at once without a reboot.
 */
public class RdsParameterGroup extends AwsPolledDependent<ParameterGroupState>
    implements Creator<ParameterGroupState, CharityCampaign>,
        Updater<ParameterGroupState, CharityCampaign> {

  public static final String NAME = "database-parameters";
  static final String MAX_CONNECTIONS = "max_connections";
  private static final Logger LOG = Logger.getLogger(RdsParameterGroup.class);

  public RdsParameterGroup() {
    super(ParameterGroupState.class);
  }

  @Inject RdsFleet fleet;

  @Override
  protected Optional<ParameterGroupState> describe(String region, CharityCampaign primary) {
    String name = CampaignNames.parameterGroup(primary);
    Optional<ParameterGroupState> found = describe(aws.rds(region), name);
    fleet.parameterGroups.record(region, name, found.isPresent() ? Boolean.TRUE : null);
    return found;
  }

  @Override
  protected Optional<Boolean> listed(String region, CharityCampaign primary) {
    return Optional.of(
        fleet.parameterGroups.get(region, CampaignNames.parameterGroup(primary)).isPresent());
  }

  /**
   * That the group exists, from the region's shared listing of parameter groups; its
   * max_connections, which no listing shows, from the last description until the drift interval has
   * passed.
   */
  @Override
  protected Optional<Optional<ParameterGroupState>> fromSnapshot(
      String region, CharityCampaign primary, Observation<ParameterGroupState> last) {
    if (last == null) {
      return Optional.empty(); // max_connections is not known yet
    }
    if (fleet.parameterGroups.get(region, CampaignNames.parameterGroup(primary)).isEmpty()) {
      return Optional.of(Optional.empty());
    }
    return super.fromSnapshot(region, primary, last);
  }

  @Override
  protected boolean settled(ParameterGroupState resource) {
    return true;
  }

  @Override
  protected ParameterGroupState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    return new ParameterGroupState(
        resolved.database().parameterGroup(), resolved.budget().configured());
  }

  @Override
  public ParameterGroupState create(
      ParameterGroupState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    RdsClient rds = aws.rds(resolved.region());
    try {
      rds.createDBParameterGroup(
          b ->
              b.dbParameterGroupName(desired.name())
                  .dbParameterGroupFamily(resolved.database().parameterGroupFamily())
                  .description("donation-operator: " + CampaignStatusFacts.key(primary))
                  .tags(RdsDatabase.rdsTags(CampaignLabels.awsTags(primary))));
      LOG.infof(
          "created DB parameter group %s for %s", desired.name(), CampaignStatusFacts.key(primary));
    } catch (DbParameterGroupAlreadyExistsException e) {
      LOG.debugf("DB parameter group %s exists already", desired.name());
    }
    return update(new ParameterGroupState(desired.name(), null), desired, primary, context);
  }

  @Override
  public ParameterGroupState update(
      ParameterGroupState actual,
      ParameterGroupState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    aws.rds(resolved.region())
        .modifyDBParameterGroup(
            b ->
                b.dbParameterGroupName(desired.name())
                    .parameters(
                        Parameter.builder()
                            .parameterName(MAX_CONNECTIONS)
                            .parameterValue(String.valueOf(desired.maxConnections()))
                            .applyMethod(ApplyMethod.IMMEDIATE)
                            .build()));
    LOG.infof(
        "%s: max_connections %s -> %d",
        desired.name(), actual.maxConnections(), desired.maxConnections());
    return desired;
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    // A retained database keeps using its parameter group.
    if (CampaignStatusFacts.databaseDeletion(primary) == DatabaseDeletionPolicy.Retain) {
      return;
    }
    try {
      aws.rds(region)
          .deleteDBParameterGroup(
              b -> b.dbParameterGroupName(CampaignNames.parameterGroup(primary)));
    } catch (DbParameterGroupNotFoundException e) {
      LOG.debugf("DB parameter group of %s is gone already", CampaignStatusFacts.key(primary));
    }
  }

  /** One call: the parameters the operator set; a missing group answers "not found". */
  static Optional<ParameterGroupState> describe(RdsClient rds, String name) {
    try {
      Integer max =
          rds
              .describeDBParametersPaginator(b -> b.dbParameterGroupName(name).source("user"))
              .parameters()
              .stream()
              .filter(p -> MAX_CONNECTIONS.equals(p.parameterName()) && p.parameterValue() != null)
              .map(p -> Integer.valueOf(p.parameterValue()))
              .findFirst()
              .orElse(null);
      return Optional.of(new ParameterGroupState(name, max));
    } catch (DbParameterGroupNotFoundException e) {
      return Optional.empty();
    }
  }
}
