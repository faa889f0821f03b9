package dev.agentdock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A test that needs the application's insides (a bean, a test-only tool, a row written directly): it runs in the
 * in-process suite and is disabled where the suite runs against the packaged jar. The failsafe JVM sets the property;
 * JUnit decides before Quarkus starts anything for the test (an assumption failing inside it made Quarkus restart
 * the jar, about 15 s each).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@DisabledIfSystemProperty(named = "agentdock.tests.against-jar", matches = "true",
        disabledReason = "needs the application's insides; runs in the in-process suite")
public @interface InProcessOnly {
}
