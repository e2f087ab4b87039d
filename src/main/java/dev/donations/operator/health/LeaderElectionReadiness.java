package dev.donations.operator.health;

import dev.donations.operator.leadership.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the replica has a place in the election: it leads, or it knows the leader and stands
 * by with warm caches. A standby is ready on purpose: a rolling update must be able to replace the
 * leader with a new standby. The quarkus-operator-sdk check beside this one covers the informers.
 */
@Readiness
@ApplicationScoped
public class LeaderElectionReadiness implements HealthCheck {

  static final String NAME = "leader-election";
  private final Leadership leadership;

  LeaderElectionReadiness(Leadership leadership) {
    this.leadership = leadership;
  }

  @Override
  public HealthCheckResponse call() {
    var response =
        HealthCheckResponse.named(NAME)
            .withData("identity", leadership.identity())
            .withData("leader", leadership.leading())
            .withData("holder", leadership.holder().orElse("none seen yet"));
    return leadership.leading() || leadership.holder().isPresent()
        ? response.up().build()
        : response.down().build();
  }
}
