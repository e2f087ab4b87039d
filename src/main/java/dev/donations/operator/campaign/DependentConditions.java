package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.database.RdsParameterGroup;
import dev.donations.operator.campaign.failover.FailoverDistribution;
import dev.donations.operator.campaign.failover.FailoverHealthCheck;
import dev.donations.operator.campaign.failover.FailoverHostBucket;
import dev.donations.operator.campaign.failover.FailoverRecords;
import dev.donations.operator.campaign.fallback.FallbackBucket;
import dev.donations.operator.campaign.fallback.FallbackDeployment;
import dev.donations.operator.campaign.fallback.FallbackDisruptionBudget;
import dev.donations.operator.campaign.fallback.FallbackPageConfigMap;
import dev.donations.operator.campaign.fallback.FallbackService;
import dev.donations.operator.campaign.network.FallbackNetworkPolicy;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import dev.donations.operator.campaign.storage.UploadsClaim;
import dev.donations.operator.campaign.storage.UploadsVolume;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which condition a dependent's failure is reported under (SiteReady unless listed), and the
 * failures of one reconcile by condition: the workflow's, and the AWS pollers' last failed
 * describes.
 */
final class DependentConditions {

  private static final Map<String, String> CONDITION_OF =
      Map.ofEntries(
          Map.entry(DatabaseSecret.NAME, Conditions.DATABASE_READY),
          Map.entry(RdsDatabase.NAME, Conditions.DATABASE_READY),
          Map.entry(RdsParameterGroup.NAME, Conditions.DATABASE_READY),
          Map.entry(EfsFileSystem.NAME, Conditions.STORAGE_READY),
          Map.entry(UploadsVolume.NAME, Conditions.STORAGE_READY),
          Map.entry(UploadsClaim.NAME, Conditions.STORAGE_READY),
          Map.entry(FallbackPageConfigMap.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackDeployment.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackDisruptionBudget.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackService.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackBucket.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverDistribution.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverHostBucket.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverHealthCheck.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverRecords.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackNetworkPolicy.NAME, Conditions.FALLBACK_READY));

  /** The dependents that poll AWS, whose describe errors AwsPollErrors keeps. */
  private static final List<String> POLLED =
      List.of(
          RdsParameterGroup.NAME,
          RdsDatabase.NAME,
          EfsFileSystem.NAME,
          FallbackBucket.NAME,
          FailoverDistribution.NAME,
          FailoverHostBucket.NAME,
          FailoverHealthCheck.NAME,
          FailoverRecords.NAME);

  private DependentConditions() {}

  static String of(String dependent) {
    return CONDITION_OF.getOrDefault(dependent, Conditions.SITE_READY);
  }

  /**
   * The errors of one reconcile by condition type, several under one condition joined
   * (PartError.and).
   */
  static Map<String, PartError> errors(
      CharityCampaign campaign, WorkflowOutcome result, AwsPollErrors pollErrors) {
    Map<String, PartError> errors = new HashMap<>();
    result.errors().forEach((name, e) -> errors.merge(of(name), PartError.of(e), PartError::and));
    for (String name : POLLED) {
      pollErrors
          .last(name, campaign)
          .ifPresent(e -> errors.merge(CONDITION_OF.get(name), PartError.of(e), PartError::and));
    }
    return errors;
  }
}
