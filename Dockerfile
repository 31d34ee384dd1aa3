# DMP gateway: runs the TypeScript sources directly on Node 22 (type stripping).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY mappings ./mappings
COPY profiles ./profiles
# Configuration, keys and certificates are mounted, never baked in:
#   DMP_GATEWAY_CONFIG=/config/gateway.json DMP_SIGN_KEY=/secrets/sign.key DMP_SIGN_CERT=/secrets/sign.crt
USER node
EXPOSE 8080 2575
ENTRYPOINT ["node", "src/cli/main.ts"]
CMD ["start"]
