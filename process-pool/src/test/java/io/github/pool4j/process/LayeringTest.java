package io.github.pool4j.process;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of pool4j's core, codec and process pool, as rules on their compiled classes. The
 * module descriptors already keep other modules out of the internal packages; these rules keep
 * the parts inside apart.
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // The core's test jar (the contract suite) is test code too.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.github.pool4j");

    private static final String INTERNAL = "io.github.pool4j.process.internal";
    private static final String WORKER_SIDE = ".*\\.process\\.internal\\.WorkerMain(\\$.*)?";
    /** What the worker JVM may use of the internal package: its own classes and the frame reader both ends share. */
    private static final String WORKER_MAY_USE = ".*\\.process\\.internal\\.(WorkerMain(\\$.*)?|LineReader(\\$.*)?)";

    @Test
    void classesWereImported() {
        // Guards the rules below against passing on nothing (a wrong package or import option).
        assertTrue(CLASSES.contain("io.github.pool4j.process.internal.WorkerMain"));
        assertTrue(CLASSES.contain("io.github.pool4j.spi.AbstractPool"));
        assertTrue(CLASSES.contain("io.github.pool4j.codec.Json"));
    }

    @Test
    void theProtocol_knowsNeitherSide() {
        noClasses().that().resideInAPackage(INTERNAL + ".protocol..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("both the parent and the worker JVM use the protocol; it must not pull either side in")
                .check(CLASSES);
    }

    @Test
    void theWorkerJvm_usesNoParentSideClass() {
        classes().that().haveNameMatching(WORKER_SIDE)
                .should().onlyDependOnClassesThat(not(resideInAPackage(INTERNAL)).or(nameMatching(WORKER_MAY_USE)))
                .because("a worker JVM loads only what it runs; the parent's classes (workers, scheduling,"
                        + " launching) would cost it start-up time and could not work there")
                .check(CLASSES);
    }

    @Test
    void theCodec_andTheCore_knowNoPool() {
        noClasses().that().resideInAnyPackage("io.github.pool4j.codec..", "io.github.pool4j", "io.github.pool4j.spi..",
                        "io.github.pool4j.internal..", "io.github.pool4j.timing..", "io.github.pool4j.os..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.pool4j.process..")
                .check(CLASSES);
    }

    @Test
    void theProcessPoolsApi_doesNotLeakItsInternals() {
        noClasses().that().resideInAPackage("io.github.pool4j.process").and().arePublic()
                .should().dependOnClassesThat().resideInAPackage("tools.jackson..")
                .because("Jackson is how values travel, not part of the pool's API")
                .check(CLASSES);
    }

    @Test
    void processPoolPackages_areFreeOfCycles() {
        slices().matching("io.github.pool4j.process.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
