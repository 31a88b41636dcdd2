FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md docker-compose.yml ./
COPY tracegraph ./tracegraph
COPY graph ./graph
COPY schema ./schema
COPY resolvers ./resolvers
COPY loaders ./loaders
COPY cypher ./cypher
RUN pip install --no-cache-dir .
USER nobody
EXPOSE 8000
CMD ["tracegraph", "serve"]
