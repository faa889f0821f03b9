package dev.agentdock.common;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A test-only endpoint with every kind of input the error mapping must handle. */
@io.quarkus.security.Authenticated
@Path("/test-probe")
public class ProbeResource {

    public enum Mood { CALM, ANGRY }

    public record Probe(@NotBlank @Size(max = 50) String name, @NotNull @Min(1) @Max(10) Integer count,
                        @NotNull Mood mood, Nested nested) {
    }

    public record Nested(@NotNull Integer depth) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Probe echo(@Valid @NotNull Probe probe) {
        return probe;
    }

    @GET
    @Path("/missing/{id}")
    public String missing(@PathParam("id") String id) {
        throw new DomainException.NotFound("thing", id);
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internal detail");
    }
}
