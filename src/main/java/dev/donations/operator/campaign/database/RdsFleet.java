package dev.donations.operator.campaign.database;

import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.aws.RegionSnapshot;
import dev.donations.operator.config.OperatorConfig;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroup;

/**
 * Every campaign's settled RDS resources seen through two listings per region, shared by all
 * campaigns: DescribeDBInstances and DescribeDBParameterGroups, 100 a page, at most once per steady
 * period. With 1,000 settled campaigns that is 20 calls per period instead of 2,000.
 */
// A singleton, not @ApplicationScoped: dependents read its fields, which a client proxy would not
// carry.
@Singleton
public class RdsFleet {

  static final int PAGE = 100;

  final RegionSnapshot<DatabaseInstance> instances;
  final RegionSnapshot<Boolean> parameterGroups;

  public RdsFleet(AwsClients aws, OperatorConfig config) {
    instances =
        new RegionSnapshot<>(
            "DB instances",
            region -> listInstances(aws, region),
            () -> RegionSnapshot.maxAge(config.polling().steady()),
            () -> config.polling().provisioning());
    parameterGroups =
        new RegionSnapshot<>(
            "DB parameter groups",
            region -> listParameterGroups(aws, region),
            () -> RegionSnapshot.maxAge(config.polling().steady()),
            () -> config.polling().provisioning());
  }

  private static Map<String, DatabaseInstance> listInstances(AwsClients aws, String region) {
    Map<String, DatabaseInstance> found = new HashMap<>();
    for (DBInstance db :
        aws.rds(region).describeDBInstancesPaginator(b -> b.maxRecords(PAGE)).dbInstances()) {
      found.put(db.dbInstanceIdentifier(), DatabaseInstance.from(db));
    }
    return found;
  }

  private static Map<String, Boolean> listParameterGroups(AwsClients aws, String region) {
    Map<String, Boolean> found = new HashMap<>();
    for (DBParameterGroup g :
        aws.rds(region)
            .describeDBParameterGroupsPaginator(b -> b.maxRecords(PAGE))
            .dbParameterGroups()) {
      found.put(g.dbParameterGroupName(), Boolean.TRUE);
    }
    return found;
  }
}
