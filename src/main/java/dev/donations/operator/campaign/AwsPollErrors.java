package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failed describe of each campaign's AWS resources, by dependent, until one succeeds: the
 * pollers write it, the reconciler reads it into the condition of the part it belongs to.
 */
@ApplicationScoped
public class AwsPollErrors {

  private final Map<String, String> errors = new ConcurrentHashMap<>();

  void failed(String dependent, ResourceID campaign, String message) {
    errors.put(key(dependent, campaign), message);
  }

  void succeeded(String dependent, ResourceID campaign) {
    errors.remove(key(dependent, campaign));
  }

  boolean failing(String dependent, ResourceID campaign) {
    return errors.containsKey(key(dependent, campaign));
  }

  public Optional<String> last(String dependent, CharityCampaign campaign) {
    return Optional.ofNullable(errors.get(key(dependent, ResourceID.fromResource(campaign))));
  }

  private static String key(String dependent, ResourceID campaign) {
    return dependent + "/" + campaign;
  }
}
