/**
 * ITI-41 Provide and Register Document Set-b on the sandbox DMP (TD2.1
 * feed; IHE ITI TF-2b §3.41; DOMAIN.md §2–§4): the submission is read from
 * the (MTOM) request, checked as the DMP checks it, registered, and
 * answered with an `rs:RegistryResponse` (Success, or Failure listing every
 * error; nothing is stored on Failure).
 */
import { GatewayError } from '../errors/catalogue.ts';
import { NS } from '../model/vocabulary.ts';
import { standaloneXml } from '../soap/envelope.ts';
import { readProvideAndRegister } from '../xds/ebrim-reader.ts';
import { RegistryErrors, XDS_ERROR } from '../xds/registry-errors.ts';
import { buildRegistryResponse } from '../xds/registry-response.ts';
import { checkProvideAndRegister } from './iti41-checks.ts';
import { planRegistration, register } from './iti41-register.ts';
import { SoapFaultError, type SoapRequest } from './soap-endpoint.ts';
import type { EndpointResult, SandboxState } from './state.ts';
import type { VihfContext } from './vihf-check.ts';

/** A RegistryResponse: Success, or Failure with `errors`. */
export function registryResult(
  errors: RegistryErrors,
  storedUniqueIds?: readonly string[],
  acceptedUniqueIds?: readonly string[],
): EndpointResult {
  if (errors.empty)
    return {
      body: buildRegistryResponse('Success', []),
      outcome: 'success',
      errorCodes: [],
      storedUniqueIds,
      acceptedUniqueIds,
    };
  return {
    body: buildRegistryResponse('Failure', errors.list),
    outcome: 'failure',
    errorCodes: [...new Set(errors.list.map((e) => e.errorCode))],
  };
}

/** The answer of a busy registry (fault injection): Failure `XDSRegistryBusy`, nothing stored. */
export function registryBusy(): EndpointResult {
  const errors = new RegistryErrors();
  errors.add(XDS_ERROR.registryBusy, 'the registry is busy, try again later');
  return registryResult(errors);
}

/** Handles one ITI-41 request whose envelope and VIHF were checked. */
export function handleIti41(request: SoapRequest, vihf: VihfContext, state: SandboxState): EndpointResult {
  const body = request.envelope.body;
  if (body?.namespace !== NS.xds || body.localName !== 'ProvideAndRegisterDocumentSetRequest') {
    throw new SoapFaultError('Sender', 'the Body must hold an xds:ProvideAndRegisterDocumentSetRequest');
  }
  const errors = new RegistryErrors();
  let rim: ReturnType<typeof readProvideAndRegister>;
  try {
    rim = readProvideAndRegister(standaloneXml(body));
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    for (const issue of err.issues) errors.add(XDS_ERROR.registryMetadataError, issue.message, issue.path);
    return registryResult(errors);
  }
  const checked = checkProvideAndRegister(
    rim,
    request.parts,
    {
      patients: state.patients,
      trustedCertsPem: state.trustedCertsPem,
      checkSignatures: state.checkSignatures,
      vihf,
    },
    errors,
  );
  const plan = checked && planRegistration(checked, state.store, errors);
  if (!plan) return registryResult(errors);
  const stored = register(plan, state.store, vihf.structureId, state.now().toISOString());
  return registryResult(
    errors,
    stored.map((s) => s.uniqueId),
    checked.entries.filter((e) => e.kind === 'document').map((e) => e.uniqueId),
  );
}
