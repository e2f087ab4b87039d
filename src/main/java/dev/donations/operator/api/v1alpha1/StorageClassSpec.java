package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** EFS settings of a class. */
public class StorageClassSpec {

  @Required
  @Size(min = 1) @JsonPropertyDescription(
      "Subnets that get an EFS mount target, one per availability zone the nodes run in.")
  public List<String> subnetIds;

  @JsonPropertyDescription(
      "Security groups of the mount targets; they must allow NFS (TCP 2049) from the nodes.")
  public List<String> securityGroupIds = List.of();
}
