package com.cabalmail.aws.testkit;

/**
 * moto's DynamoDB for one test class, a fresh table per test: a JUnit extension over one
 * {@link MotoServer} started before the class's tests and stopped after them
 * ({@code @RegisterExtension static final MotoTables moto = new MotoTables();}), with the
 * environment that points a client at it. moto is for the wire format: it is not atomic under
 * concurrency, so a test that proves "exactly one claim wins" uses {@link DynaliteTables}.
 */
public final class MotoTables extends DynamoDbTables {

  @Override
  protected Peer start() throws Exception {
    return MotoServer.start();
  }
}
