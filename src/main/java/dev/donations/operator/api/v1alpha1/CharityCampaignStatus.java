package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of a campaign. Holds no password, key or salt. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CharityCampaignStatus {

  @JsonPropertyDescription("Generation of the spec that this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Provisioning (waiting for AWS or pods), Ready, Degraded (was Ready, a part is down and may"
          + " come back), Failed (needs a change of the campaign, its class or the cluster: the"
          + " False condition's reason and message say what; the campaign goes on by itself once"
          + " it is made) or Deleting.")
  public Phase phase;

  @JsonPropertyDescription(
      "DatabaseReady, StorageReady, SiteReady, FallbackReady and Ready, with what to do when False.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "AWS region of the campaign's resources, recorded so that deletion works without the class.")
  public String region;

  @JsonPropertyDescription("URL of the site.")
  public String siteUrl;

  @JsonPropertyDescription(
      "URL of the static fallback page on S3, which works without the cluster.")
  public String fallbackUrl;

  @JsonPropertyDescription("The campaign's RDS database.")
  public DatabaseStatus database;

  @JsonPropertyDescription("The campaign's EFS file system.")
  public StorageStatus storage;

  @JsonPropertyDescription("Name of the S3 bucket that holds the fallback page.")
  public String fallbackBucket;

  @JsonPropertyDescription(
      "Failover to the S3 page when the cluster is gone, when the class asks for it.")
  public FailoverStatus failover;

  @JsonPropertyDescription("WordPress pods that exist.")
  public Integer replicas;

  @JsonPropertyDescription("WordPress pods that are ready.")
  public Integer readyReplicas;

  @JsonPropertyDescription(
      "Deletion policies in force, resolved from the spec and the class when the campaign was last reconciled.")
  public DeletionSpec deletion;

  @JsonPropertyDescription(
      "The database connection arithmetic: what the site can open, what the database allows.")
  public ConnectionBudgetStatus connectionBudget;

  @JsonPropertyDescription("The active and the next peak window.")
  public PeakWindowsStatus peakWindows;

  @JsonPropertyDescription(
      "The replica range the autoscaler works in now (peak floor and connection budget applied).")
  public ScalingStatus scaling;

  /** Connection budget figures. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ConnectionBudgetStatus {
    @JsonPropertyDescription("maxReplicas x workersPerPod + the class's reserve.")
    public Integer requiredConnections;

    @JsonPropertyDescription(
        "RDS's default max_connections for the instance class, {DBInstanceClassMemory/12582880}.")
    public Integer instanceClassLimit;

    @JsonPropertyDescription("max_connections set in the campaign's DB parameter group.")
    public Integer configuredMaxConnections;

    @JsonPropertyDescription("Largest maxReplicas the configured connections can serve.")
    public Integer effectiveMaxReplicas;

    @JsonPropertyDescription("Name of the campaign's DB parameter group.")
    public String parameterGroup;
  }

  /** Peak window state. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PeakWindowsStatus {
    @JsonPropertyDescription("Window whose floor is in force now (from its lead time to its end).")
    public String active;

    @JsonPropertyDescription("Next window to start.")
    public String next;

    @JsonPropertyDescription("When the next window's floor rises (its start minus the lead time).")
    public String nextFloorRisesAt;
  }

  /** Effective replica range. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ScalingStatus {
    @JsonPropertyDescription("Floor in force.")
    public Integer minReplicas;

    @JsonPropertyDescription("Ceiling in force.")
    public Integer maxReplicas;

    @JsonPropertyDescription("Whether scale-in is frozen (during a peak window).")
    public Boolean scaleInFrozen;

    @JsonPropertyDescription("Headroom placeholder pods in force.")
    public Integer headroomReplicas;
  }

  /**
   * Life-cycle phase of a campaign. Failed is set for the reasons in campaign.NeedsChange and only
   * for them; it is not final.
   */
  public enum Phase {
    Provisioning,
    Ready,
    Degraded,
    Failed,
    Deleting
  }

  /** The campaign's RDS database as last observed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class DatabaseStatus {
    @JsonPropertyDescription("RDS DB instance identifier.")
    public String identifier;

    @JsonPropertyDescription("RDS status, e.g. creating, available.")
    public String state;

    @JsonPropertyDescription("Host name of the database.")
    public String endpoint;

    @JsonPropertyDescription("Port of the database.")
    public Integer port;

    @JsonPropertyDescription("Secret with host, port, database, username and password.")
    public String secretName;

    @JsonPropertyDescription("Name of the final snapshot taken on deletion.")
    public String finalSnapshot;
  }

  /** The campaign's EFS storage as last observed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StorageStatus {
    @JsonPropertyDescription("EFS file system id.")
    public String fileSystemId;

    @JsonPropertyDescription("EFS access point id.")
    public String accessPointId;

    @JsonPropertyDescription("Mount targets that are available.")
    public Integer mountTargets;
  }
}
