package dev.donations.operator.campaign.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbSubnetGroupsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSubnetGroupsResponse;
import software.amazon.awssdk.services.rds.model.RdsException;

/** The two AWS calls behind a look-up, and what their failures say. */
class DatabaseSubnetsLookUpTest {

  final List<String> calls = new ArrayList<>();
  RuntimeException rdsFails;

  final RdsClient rds =
      new RdsClient() {
        @Override
        public DescribeDbSubnetGroupsResponse describeDBSubnetGroups(
            DescribeDbSubnetGroupsRequest request) {
          calls.add("rds:DescribeDBSubnetGroups " + request.dbSubnetGroupName());
          if (rdsFails != null) {
            throw rdsFails;
          }
          return DescribeDbSubnetGroupsResponse.builder()
              .dbSubnetGroups(
                  DBSubnetGroup.builder()
                      .dbSubnetGroupName(request.dbSubnetGroupName())
                      .subnets(
                          s -> s.subnetIdentifier("subnet-b"), s -> s.subnetIdentifier("subnet-a"))
                      .build())
              .build();
        }

        @Override
        public String serviceName() {
          return "rds";
        }

        @Override
        public void close() {}
      };

  final Ec2Client ec2 =
      new Ec2Client() {
        @Override
        public DescribeSubnetsResponse describeSubnets(DescribeSubnetsRequest request) {
          calls.add("ec2:DescribeSubnets " + request.subnetIds());
          return DescribeSubnetsResponse.builder()
              .subnets(
                  Subnet.builder().subnetId("subnet-b").cidrBlock("10.42.1.0/24").build(),
                  Subnet.builder().subnetId("subnet-a").cidrBlock("10.42.0.0/24").build())
              .build();
        }

        @Override
        public String serviceName() {
          return "ec2";
        }

        @Override
        public void close() {}
      };

  final AwsClients aws =
      new AwsClients(null, null) {
        @Override
        public RdsClient rds(String region) {
          return rds;
        }

        @Override
        public Ec2Client ec2(String region) {
          return ec2;
        }
      };

  @Test
  void theGroupsSubnetsGiveTheirIpv4Blocks() {
    SubnetLookup found = DatabaseSubnets.lookUp(aws, "eu-west-1", "donation-local");
    assertThat(found.destinations()).contains(List.of("10.42.0.0/24", "10.42.1.0/24"));
    assertThat(calls)
        .containsExactly(
            "rds:DescribeDBSubnetGroups donation-local",
            "ec2:DescribeSubnets [subnet-b, subnet-a]");
  }

  @Test
  void aGroupThatDoesNotExistSaysSo() {
    rdsFails =
        DbSubnetGroupNotFoundException.builder()
            .message("DBSubnetGroupName not found")
            .statusCode(404)
            .build();
    SubnetLookup lookup = DatabaseSubnets.lookUp(aws, "eu-west-1", "missing");
    assertThat(lookup.destinations()).isEmpty();
    assertThat(lookup.reason()).isEqualTo("DatabaseSubnetGroupNotFound");
    assertThat(lookup.message()).contains("missing", "eu-west-1", "does not exist");
    assertThat(calls).noneMatch(c -> c.startsWith("ec2:"));
  }

  @Test
  void anAwsErrorSaysWhichCallFailedAndIsNotAnEmptyList() {
    rdsFails =
        RdsException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("AccessDenied")
                    .errorMessage("not authorized to perform rds:DescribeDBSubnetGroups")
                    .build())
            .message("not authorized to perform rds:DescribeDBSubnetGroups")
            .statusCode(403)
            .build();
    SubnetLookup lookup = DatabaseSubnets.lookUp(aws, "eu-west-1", "private");
    assertThat(lookup.destinations()).isEmpty();
    assertThat(lookup.reason()).isEqualTo("DatabaseSubnetsUnreadable");
    assertThat(lookup.message()).contains("rds:DescribeDBSubnetGroups");
  }
}
