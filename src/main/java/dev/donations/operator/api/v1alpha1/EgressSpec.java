package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Extra egress of site pods, for payment providers and other HTTPS APIs a donation plugin calls.
 */
public class EgressSpec {

  @Size(max = 32) @JsonPropertyDescription(
      "CIDR blocks site pods may reach on TCP 443, e.g. a payment provider's ranges, or 0.0.0.0/0 for any."
          + " Empty allows no HTTPS egress.")
  public List<@io.fabric8.generator.annotation.Pattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$") String>
      httpsCidrs = List.of();
}
