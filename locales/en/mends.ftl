# The actor map as a graph file (GEXF for Gephi, GraphML).
mends-map-export-gexf = Download GEXF
mends-map-export-graphml = Download GraphML
