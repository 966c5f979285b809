-- Open MPI under Flux: bootstrap through Flux's PMIx/schizo components, and give the shared-memory
-- transport a job-private backing folder so that two jobs on a node never collide.
if shell.options.mpi == "none" then
    return
end

shell.setenv ("OMPI_MCA_pmix", "flux")
shell.setenv ("OMPI_MCA_schizo", "flux")

plugin.register {
    name = "openmpi",
    handlers = {
        {
            topic = "shell.init",
            fn = function ()
                local dir = shell.getenv ("FLUX_JOB_TMPDIR")
                if dir then
                    shell.setenv ("OMPI_MCA_btl_vader_backing_directory", dir)
                end
            end,
        },
    },
}
